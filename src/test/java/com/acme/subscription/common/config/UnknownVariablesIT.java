package com.acme.subscription.common.config;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.acme.subscription.support.PostgresResource;

/**
 * The packaged jar, started as in production with a misspelt {@code SUBSCRIPTIONS_*} variable and
 * everything else right, stops and names the variable.
 */
class UnknownVariablesIT {

    @Test
    void aMisspeltVariableStopsTheStartAndIsNamed() throws Exception {
        PostgresResource database = new PostgresResource();
        Map<String, String> config = database.start();
        Path log = Files.createTempFile("unknown-variables", ".log");
        try {
            // the native executable when the build made one (-Pnative), else the jar
            String nativeImage = Optional.ofNullable(System.getProperty("native.image.path"))
                    .filter(path -> Files.isExecutable(Path.of(path))).orElse(null);
            List<String> command = new ArrayList<>(nativeImage != null ? List.of(nativeImage)
                    : List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            config.forEach((key, value) -> command.add("-D" + key + "=" + value));
            command.addAll(List.of("-Dquarkus.http.port=0", "-Dquarkus.management.port=0"));
            if (nativeImage == null) {
                command.addAll(List.of("-jar", "target/quarkus-app/quarkus-run.jar"));
            }
            ProcessBuilder start = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            start.environment().put("SUBSCRIPTIONS_JOBS_INTIAL_DELAY", "5s");
            Process service = start.start();
            try {
                assertTrue(service.waitFor(120, TimeUnit.SECONDS), "the service started and kept running");
                assertNotEquals(0, service.exitValue());
                String output = Files.readString(log, StandardCharsets.UTF_8);
                assertTrue(output.contains("Unknown environment variable SUBSCRIPTIONS_JOBS_INTIAL_DELAY: no setting has that name"),
                        output);
            } finally {
                service.destroyForcibly();
            }
        } finally {
            database.stop();
            new File(log.toString()).delete();
        }
    }
}
