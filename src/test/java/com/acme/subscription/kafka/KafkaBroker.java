package com.acme.subscription.kafka;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real Kafka broker in the test JVM (Apache Kafka's own KRaft test cluster: one combined
 * controller and broker, no Docker), with the topic the service publishes to. The service is
 * pointed at it, or, with the init argument {@code gated=true}, at a port where nothing listens
 * yet: {@link Gate} opens it. Tests read the topic at {@link #bootstrapServers()}.
 */
public class KafkaBroker implements QuarkusTestResourceLifecycleManager {

    static final String TOPIC = "subscription-events-test";
    static final int PARTITIONS = 3;
    /** Read by the tests, which may be loaded by another class loader than this resource. */
    private static final String BOOTSTRAP_PROPERTY = "test.kafka.bootstrap-servers";

    private KafkaClusterTestKit cluster;
    private boolean gated;

    @Override
    public void init(Map<String, String> initArgs) {
        gated = Boolean.parseBoolean(initArgs.getOrDefault("gated", "false"));
    }

    @Override
    public Map<String, String> start() {
        try {
            cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build())
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            String servers = cluster.bootstrapServers();
            Properties admin = new Properties();
            admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
            try (Admin client = Admin.create(admin)) {
                client.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get();
            }
            System.setProperty(BOOTSTRAP_PROPERTY, servers);
            return Map.of("kafka.bootstrap.servers", gated ? "127.0.0.1:" + freePort() : servers,
                    "subscriptions.events.topic", TOPIC);
        } catch (Exception e) {
            throw new IllegalStateException("Kafka test broker did not start", e);
        }
    }

    @Override
    public void stop() {
        System.clearProperty(BOOTSTRAP_PROPERTY);
        if (cluster != null) {
            try {
                cluster.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static String bootstrapServers() {
        return System.getProperty(BOOTSTRAP_PROPERTY);
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }
}
