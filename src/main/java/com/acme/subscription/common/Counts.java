package com.acme.subscription.common;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** Rows of a (key, count) query as a map sorted by key, as the statistics show them. */
public final class Counts {

    private Counts() {
    }

    public static Map<String, Long> byKey(List<Object[]> rows, Function<Object, String> key) {
        Map<String, Long> counts = new TreeMap<>();
        rows.forEach(row -> counts.merge(key.apply(row[0]), ((Number) row[1]).longValue(), Long::sum));
        return counts;
    }
}
