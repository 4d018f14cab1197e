package com.acme.subscription.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/** The manifests that ./mvnw package generates: probes, Secret and ConfigMap wiring, management port, replicas. */
class KubernetesManifestIT {

    static List<JsonNode> documents;
    static JsonNode container;
    static JsonNode deployment;

    @BeforeAll
    static void read() throws IOException {
        YAMLMapper yaml = new YAMLMapper();
        documents = new ArrayList<>();
        try (var parser = yaml.createParser(Path.of("target/kubernetes/kubernetes.yml").toFile())) {
            yaml.readValues(parser, JsonNode.class).forEachRemaining(documents::add);
        }
        deployment = documents.stream().filter(d -> "Deployment".equals(d.path("kind").asText())).findFirst()
                .orElseThrow();
        container = deployment.at("/spec/template/spec/containers/0");
    }

    @Test
    void severalReplicas() {
        assertEquals(3, deployment.at("/spec/replicas").asInt());
    }

    @Test
    void probesDescribeThePodOnTheManagementPort() {
        assertEquals("/q/health/live", container.at("/livenessProbe/httpGet/path").asText());
        assertEquals("/q/health/ready", container.at("/readinessProbe/httpGet/path").asText());
        assertEquals("/q/health/started", container.at("/startupProbe/httpGet/path").asText());
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            assertEquals(9000, container.at("/" + probe + "/httpGet/port").asInt(), probe);
        }
        List<String> ports = StreamSupport.stream(container.path("ports").spliterator(), false)
                .map(port -> port.path("name").asText() + ":" + port.path("containerPort").asInt()).toList();
        assertTrue(ports.containsAll(List.of("http:8080", "management:9000")), ports.toString());
    }

    @Test
    void credentialsAndKeyComeFromSecretsAndSettingsFromAConfigMap() {
        List<String> sources = StreamSupport.stream(container.path("envFrom").spliterator(), false)
                .map(JsonNode::toString).toList();
        assertTrue(sources.stream().anyMatch(s -> s.contains("secretRef") && s.contains("subscription-service-db")),
                sources.toString());
        assertTrue(sources.stream().anyMatch(s -> s.contains("configMapRef") && s.contains("subscription-service-config")),
                sources.toString());
        JsonNode volume = deployment.at("/spec/template/spec/volumes/0");
        assertEquals("subscription-service-jwt", volume.at("/secret/secretName").asText());
        assertEquals("/deployments/jwt", container.at("/volumeMounts/0/mountPath").asText());
        assertTrue(container.path("env").toString().contains("/deployments/jwt/publicKey.pem"));
        assertTrue(!container.toString().contains("PASSWORD\",\"value\""), "no credential is written into the manifest");
    }

    @Test
    void resourcesAreBoundedAndReplicasMigrateThemselves() {
        assertEquals("250m", container.at("/resources/requests/cpu").asText());
        assertEquals("512Mi", container.at("/resources/limits/memory").asText());
        // Flyway migrates at start under its lock: no separate Job, no init container waiting for one
        assertTrue(documents.stream().noneMatch(d -> "Job".equals(d.path("kind").asText())));
        assertTrue(deployment.at("/spec/template/spec/initContainers").isMissingNode());
    }
}
