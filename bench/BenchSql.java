import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.StringJoiner;

import com.acme.subscription.entitlement.EntitlementSql;

/**
 * Writes the service's own check and consume statements as pgbench scripts (bench/run.sh), so
 * that the database ceiling P is measured on exactly the SQL the service runs. It reads them
 * from the packaged service's classes, run with Java's single-file source launcher:
 * <pre>
 * java -cp 'target/quarkus-app/app/*:target/quarkus-app/lib/main/*' bench/BenchSql.java target/bench
 * </pre>
 * Parameters become pgbench expressions: a random generated profile and metered feature.
 * BenchSqlTest runs this file and compares its scripts with the statements.
 */
public final class BenchSql {

    static final String PROFILE = "('bench-' || :n)";
    static final String FEATURE = "((ARRAY['weight_entries','circumference_entries','caliper_entries',"
            + "'nutrition_entries','activity_entries','photos','ai_calls'])[:f])";
    static final String HEADER = "\\set n random(1, :profiles)\n\\set f random(1, 7)\n";

    private BenchSql() {
    }

    public static void main(String[] args) throws IOException, ReflectiveOperationException {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/bench");
        Files.createDirectories(dir);
        write(dir.resolve("check.sql"), EntitlementSql.CHECK_ONE_RESOLVED);
        write(dir.resolve("consume.sql"), consume());
        write(dir.resolve("entitlements.sql"), EntitlementSql.CHECK_ALL_RESOLVED);
        Files.writeString(dir.resolve("consume_group.sql"), groupHeader() + group(statement("CONSUME_ALL_RESOLVED")) + ";\n");
        System.out.println("pgbench scripts written to " + dir);
    }

    /** The consume statement is package-private in the service: read as it is, not copied. */
    private static String consume() throws ReflectiveOperationException {
        return statement("CONSUME_RESOLVED");
    }

    private static String statement(String name) throws ReflectiveOperationException {
        Field field = Class.forName("com.acme.subscription.usage.UsageSql").getDeclaredField(name);
        field.setAccessible(true);
        return (String) field.get(null);
    }

    /** Consumes in the statement of a group (consume_group.sql), as many as a group has on average under load. */
    static final int GROUP = 8;

    /** A group's profiles are all different: consume i draws from the i-th of GROUP equal ranges. */
    static String groupHeader() {
        StringBuilder header = new StringBuilder();
        for (int i = 0; i < GROUP; i++) {
            header.append("\\set n").append(i).append(' ').append(i).append(" * (:profiles / ").append(GROUP)
                    .append(") + random(1, :profiles / ").append(GROUP).append(")\n\\set f").append(i)
                    .append(" random(1, 7)\n");
        }
        return header.toString();
    }

    /** The group's statement as a pgbench script states it: arrays of GROUP profiles, features and amounts of 1. */
    static String group(String sql) {
        StringJoiner profiles = new StringJoiner(",", "ARRAY[", "]");
        StringJoiner features = new StringJoiner(",", "ARRAY[", "]");
        StringJoiner amounts = new StringJoiner(",", "ARRAY[", "]");
        for (int i = 0; i < GROUP; i++) {
            profiles.add(PROFILE.replace(":n", ":n" + i));
            features.add(FEATURE.replace(":f", ":f" + i));
            amounts.add("1");
        }
        return pgbench(sql, profiles.toString(), features.toString(), amounts.toString());
    }

    private static void write(Path script, String sql) throws IOException {
        Files.writeString(script, HEADER + pgbench(sql, PROFILE, FEATURE, "1") + ";\n");
    }

    /** pgbench wants a statement on one line, with its own expressions for the parameters. */
    static String pgbench(String sql, String profile, String feature, String amount) {
        return sql.replace("$4", amount).replace("$3", feature).replace("$2", "now()").replace("$1", profile)
                .replaceAll("--[^\n]*", "").replaceAll("\\s+", " ").trim();
    }
}
