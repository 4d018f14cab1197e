package com.acme.subscription.grant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Packages depend one way only: common, settings, catalog, activity, grant, entitlement,
 * profile, usage, ... jobs. Grants, entitlements, usage and the jobs never reach into the
 * profile package (the profile row's lock is {@link GrantRepository#lockProfile}).
 */
class DependencyDirectionTest {

    private static final Path SOURCES = Path.of("src/main/java/com/acme/subscription");

    private static final Pattern REFERENCE = Pattern.compile("com\\.acme\\.subscription\\.([a-z]+)\\.");

    /** What each package may reference besides itself. */
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "grant", Set.of("common", "settings", "catalog", "activity"),
            "entitlement", Set.of("common", "settings", "catalog", "activity", "grant"),
            "usage", Set.of("common", "settings", "catalog", "activity", "grant", "entitlement"),
            "jobs", Set.of("common", "settings", "catalog", "activity", "grant", "entitlement", "usage", "coupon",
                    "stats", "ofrep"));

    @Test
    void grantsEntitlementsUsageAndJobsReferenceOnlyWhatLiesBelowThem() throws IOException {
        List<String> wrong = new ArrayList<>();
        int files = 0;
        for (var rule : ALLOWED.entrySet()) {
            try (Stream<Path> sources = Files.list(SOURCES.resolve(rule.getKey()))) {
                for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                    files++;
                    Matcher reference = REFERENCE.matcher(Files.readString(source));
                    while (reference.find()) {
                        String target = reference.group(1);
                        if (!target.equals(rule.getKey()) && !rule.getValue().contains(target)) {
                            wrong.add(source.getFileName() + " -> " + target);
                        }
                    }
                }
            }
        }
        assertTrue(files > 30, "read " + files + " files");
        assertEquals(List.of(), wrong);
    }
}
