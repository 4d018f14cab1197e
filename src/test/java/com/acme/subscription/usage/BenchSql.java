package com.acme.subscription.usage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.acme.subscription.entitlement.EntitlementSql;

/**
 * Writes the service's own check and consume statements as pgbench scripts (bench/run.sh),
 * so that the database ceiling P is measured on exactly the SQL the service runs.
 * Parameters become pgbench expressions: a random generated profile and metered feature.
 */
public final class BenchSql {

    private static final String PROFILE = "('bench-' || :n)";
    private static final String FEATURE = "((ARRAY['weight_entries','circumference_entries','caliper_entries',"
            + "'nutrition_entries','activity_entries','photos','ai_calls'])[:f])";
    private static final String HEADER = "\\set n random(1, :profiles)\n\\set f random(1, 7)\n";

    private BenchSql() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/bench");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("check.sql"), HEADER + pgbench(EntitlementSql.CHECK_ONE, "1") + ";\n");
        Files.writeString(dir.resolve("consume.sql"), HEADER + pgbench(UsageSql.CONSUME, "1") + ";\n");
        Files.writeString(dir.resolve("entitlements.sql"), HEADER + pgbench(EntitlementSql.CHECK_ALL, "1") + ";\n");
    }

    /** pgbench wants a statement on one line, with its own variables for the parameters. */
    static String pgbench(String sql, String amount) {
        return sql.replace("$4", amount).replace("$3", FEATURE).replace("$2", "now()").replace("$1", PROFILE)
                .replaceAll("--[^\n]*", "").replaceAll("\\s+", " ").trim();
    }
}
