package com.acme.subscription.kafka;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * An event as a record of the CloudEvents Kafka protocol binding, binary mode: the attributes are
 * {@code ce_*} headers, {@code datacontenttype} is {@code content-type}, the value is the JSON
 * {@code data} alone. The key is the profile id, so one profile's events share a partition and
 * keep their order there.
 */
final class CloudEventRecords {

    static final String SOURCE = "subscription-service";
    static final String SPEC_VERSION = "1.0";
    static final String CONTENT_TYPE = "application/json";

    private CloudEventRecords() {
    }

    static ProducerRecord<String, byte[]> of(String topic, OutboxEvent event) {
        RecordHeaders headers = new RecordHeaders();
        header(headers, "ce_specversion", SPEC_VERSION);
        header(headers, "ce_id", event.id().toString());
        header(headers, "ce_source", SOURCE);
        header(headers, "ce_type", event.type());
        header(headers, "ce_subject", event.profileId());
        header(headers, "ce_time", event.time().toString());
        // the sequence extension: per profile, increasing; lets a consumer drop a repeated event
        header(headers, "ce_sequence", Long.toString(event.sequence()));
        header(headers, "content-type", CONTENT_TYPE);
        // the record's timestamp is the event's time rather than the moment it was sent
        return new ProducerRecord<>(topic, null, event.time().toEpochMilli(), event.profileId(),
                event.data().getBytes(StandardCharsets.UTF_8), headers);
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
