package com.acme.subscription.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * target/kubernetes/kubernetes.yml as the package phase writes it (from application.properties and
 * src/main/kubernetes/kubernetes.yml): an *IT, so that failsafe reads it after ./mvnw package wrote it.
 */
class GeneratedManifestIT {

    static final Path MANIFEST = Path.of("target/kubernetes/kubernetes.yml");
    /** What the manifest is generated from: a manifest older than any of them is not this build's. */
    static final List<Path> INPUTS = List.of(Path.of("pom.xml"), Path.of("src/main/resources/application.properties"),
            Path.of("src/main/kubernetes/kubernetes.yml"));

    static List<JsonNode> documents;
    static JsonNode deployment;
    static JsonNode pod;
    static JsonNode container;
    static Map<String, String> podLabels;

    @BeforeAll
    static void read() throws IOException {
        for (Path input : INPUTS) {
            assertFalse(Files.getLastModifiedTime(MANIFEST).compareTo(Files.getLastModifiedTime(input)) < 0,
                    MANIFEST + " is older than " + input + ": run ./mvnw package");
        }
        YAMLMapper yaml = new YAMLMapper();
        documents = new ArrayList<>();
        try (var parser = yaml.createParser(MANIFEST.toFile())) {
            yaml.readValues(parser, JsonNode.class).forEachRemaining(documents::add);
        }
        deployment = only("Deployment");
        pod = deployment.at("/spec/template");
        container = pod.at("/spec/containers/0");
        podLabels = strings(pod.at("/metadata/labels"));
    }

    @Test
    void onlyKindsEveryClusterKnows() {
        // a ServiceMonitor (Prometheus Operator) would make kubectl apply fail where the operator is missing
        Set<String> kinds = new TreeSet<>();
        documents.forEach(d -> kinds.add(d.path("apiVersion").asText() + " " + d.path("kind").asText()));
        assertEquals(new TreeSet<>(Set.of("apps/v1 Deployment", "v1 Service", "policy/v1 PodDisruptionBudget")), kinds);
        // replicas migrate at start under Flyway's lock: no migration Job, no init container waiting for one
        assertTrue(deployment.at("/spec/template/spec/initContainers").isMissingNode());
    }

    @Test
    void threeReplicasOfTheImageTheReadmeNames() {
        assertEquals(3, deployment.at("/spec/replicas").asInt());
        assertEquals(1, pod.at("/spec/containers").size());
        assertEquals("docker.io/" + ImageFilesTest.IMAGE, container.path("image").asText());
        assertEquals("IfNotPresent", container.path("imagePullPolicy").asText());
    }

    @Test
    void thePublicKeyIsReadableByTheUserOfEitherImage() {
        // the images run as 185 (JVM) or 1001 (native), or as a uid the platform assigns, never as the
        // owner (root) of the mounted files: the key must be readable by others, or every request gets 401
        JsonNode volume = named(pod.at("/spec/volumes"), "jwt-public-key");
        assertEquals("subscription-service-jwt", volume.at("/secret/secretName").asText());
        int mode = volume.at("/secret/defaultMode").asInt(-1);
        assertEquals(0444, mode, "defaultMode " + Integer.toOctalString(mode));
        assertEquals(0, volume.at("/secret/items").size(), "no item overrides the mode");

        JsonNode mount = named(container.path("volumeMounts"), "jwt-public-key");
        assertEquals("/deployments/jwt", mount.path("mountPath").asText());
        assertTrue(mount.path("readOnly").asBoolean());
        assertEquals("/deployments/jwt/publicKey.pem", env("MP_JWT_VERIFY_PUBLICKEY_LOCATION"));
        assertTrue(pod.at("/spec/securityContext/runAsNonRoot").asBoolean(), pod.at("/spec/securityContext").toString());
    }

    @Test
    void theSecretComesAfterTheConfigMapSoItWinsForAKeyInBoth() {
        assertEquals(List.of("{\"configMapRef\":{\"name\":\"subscription-service-config\"}}",
                "{\"secretRef\":{\"name\":\"subscription-service-db\"}}"),
                StreamSupport.stream(container.path("envFrom").spliterator(), false).map(JsonNode::toString).toList());
        assertFalse(container.toString().contains("PASSWORD\",\"value\""), "no credential is written into the manifest");
    }

    @Test
    void thePodTemplateHoldsNothingThatChangesFromBuildToBuild() {
        // a changed annotation or label on the template restarts every pod on apply
        assertEquals(Set.of("app.quarkus.io/quarkus-version", "prometheus.io/scrape", "prometheus.io/path",
                "prometheus.io/port", "prometheus.io/scheme"), strings(pod.at("/metadata/annotations")).keySet());
        assertEquals(Map.of("app.kubernetes.io/name", "subscription-service", "app.kubernetes.io/managed-by", "quarkus"),
                podLabels);
        for (JsonNode document : documents) {
            String metadata = document.path("metadata").toString();
            assertFalse(metadata.contains("build-timestamp") || metadata.contains("commit-id"), metadata);
        }
    }

    @Test
    void selectorsHoldNoVersionAndMatchThePods() {
        // a Deployment's selector cannot change: with the version in it the next version could not be applied
        Map<String, String> selector = strings(deployment.at("/spec/selector/matchLabels"));
        assertEquals(Map.of("app.kubernetes.io/name", "subscription-service"), selector);
        assertSelects(selector);
        assertSelects(strings(only("Service").at("/spec/selector")));
    }

    @Test
    void cpuIsRequestedNotLimitedMemoryIsLimited() {
        // a CPU limit is a CFS quota that throttles the JVM's bursts (p99 113 ms instead of 13 ms)
        JsonNode resources = container.path("resources");
        assertEquals("250m", resources.at("/requests/cpu").asText());
        assertTrue(resources.at("/limits/cpu").isMissingNode(), resources.toString());
        assertEquals("256Mi", resources.at("/requests/memory").asText());
        assertEquals("512Mi", resources.at("/limits/memory").asText());
    }

    @Test
    void aDrainTakesOneReplicaAtATime() {
        JsonNode budget = only("PodDisruptionBudget");
        assertEquals("subscription-service", budget.at("/metadata/name").asText());
        assertEquals(1, budget.at("/spec/maxUnavailable").asInt());
        assertTrue(budget.at("/spec/minAvailable").isMissingNode());
        Map<String, String> selector = strings(budget.at("/spec/selector/matchLabels"));
        assertEquals(Map.of("app.kubernetes.io/name", "subscription-service"), selector);
        assertSelects(selector);
    }

    @Test
    void replicasSpreadOverNodesAndZonesWithoutBlockingAOneNodeCluster() {
        Map<String, JsonNode> byKey = new TreeMap<>();
        pod.at("/spec/topologySpreadConstraints").forEach(c -> byKey.put(c.path("topologyKey").asText(), c));
        assertEquals(Set.of("kubernetes.io/hostname", "topology.kubernetes.io/zone"), byKey.keySet());
        byKey.values().forEach(constraint -> {
            assertEquals(1, constraint.path("maxSkew").asInt());
            assertEquals("ScheduleAnyway", constraint.path("whenUnsatisfiable").asText());
            Map<String, String> selector = strings(constraint.at("/labelSelector/matchLabels"));
            assertEquals(Map.of("app.kubernetes.io/name", "subscription-service"), selector);
            assertSelects(selector);
        });
    }

    @Test
    void probesAskTheManagementPort() {
        assertEquals("/q/health/live", container.at("/livenessProbe/httpGet/path").asText());
        assertEquals("/q/health/ready", container.at("/readinessProbe/httpGet/path").asText());
        assertEquals("/q/health/started", container.at("/startupProbe/httpGet/path").asText());
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            assertEquals(9000, container.at("/" + probe + "/httpGet/port").asInt(), probe);
        }
        assertEquals(9000, named(container.path("ports"), "management").path("containerPort").asInt());
        assertEquals(8080, named(container.path("ports"), "http").path("containerPort").asInt());
    }

    static void assertSelects(Map<String, String> selector) {
        assertFalse(selector.isEmpty());
        selector.forEach((key, value) -> assertEquals(value, podLabels.get(key), key + " of " + podLabels));
    }

    static JsonNode only(String kind) {
        List<JsonNode> found = documents.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
        assertEquals(1, found.size(), kind);
        return found.get(0);
    }

    static JsonNode named(JsonNode list, String name) {
        return StreamSupport.stream(list.spliterator(), false).filter(n -> name.equals(n.path("name").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + name + " in " + list));
    }

    static String env(String name) {
        return named(container.path("env"), name).path("value").asText();
    }

    static Map<String, String> strings(JsonNode object) {
        Map<String, String> map = new TreeMap<>();
        object.properties().forEach(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }
}
