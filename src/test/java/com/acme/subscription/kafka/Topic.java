package com.acme.subscription.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.acme.subscription.support.Waiting;

/** Reads the test topic from its beginning, every partition, as a consumer of the events would. */
final class Topic {

    private Topic() {
    }

    /** Waits until {@code count} records keyed by the profile arrived and answers them in partition order. */
    static List<ConsumerRecord<String, byte[]>> awaitRecords(String profileId, int count, Duration limit) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            Waiting.within(limit).until(() -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                    if (profileId.equals(record.key())) {
                        records.add(record);
                    }
                }
                return records.size() >= count;
            });
            // a little longer: nothing more may come (a duplicate would show here)
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                if (profileId.equals(record.key())) {
                    records.add(record);
                }
            }
        }
        return records;
    }

    /** What the topic holds for the profile now: everything up to its current end. */
    static List<ConsumerRecord<String, byte[]>> records(String profileId) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment());
            Waiting.within(Duration.ofSeconds(10)).until(() -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                    if (profileId.equals(record.key())) {
                        records.add(record);
                    }
                }
                return ends.entrySet().stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
            });
        }
        return records;
    }

    static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    static String value(ConsumerRecord<String, byte[]> record) {
        return new String(record.value(), StandardCharsets.UTF_8);
    }

    private static KafkaConsumer<String, byte[]> consumer() {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers());
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (int i = 0; i < KafkaBroker.PARTITIONS; i++) {
            partitions.add(new TopicPartition(KafkaBroker.TOPIC, i));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }
}
