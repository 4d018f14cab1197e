package com.acme.subscription.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.acme.subscription.support.Database;

import io.quarkus.test.junit.QuarkusTest;

/** The migrated database equals the seed of the monolith's v9c migration, row by row and cell by cell. */
@QuarkusTest
class SeedMigrationTest {

    /** The seed's tier x feature matrix; null is unlimited. */
    static final Map<String, Map<String, Integer>> SEED_MATRIX = new LinkedHashMap<>();
    static final List<String> FEATURES = List.of("weight_entries", "circumference_entries", "caliper_entries",
            "nutrition_entries", "activity_entries", "photos", "ai_calls", "ai_pipeline", "export_csv", "export_json",
            "export_zip");

    static {
        SEED_MATRIX.put("free", row(30, 10, 10, 30, 30, 5, 0, 0, 0, 0, 0));
        SEED_MATRIX.put("basic", row(null, null, null, null, null, 50, 3, 0, 1, 1, 1));
        SEED_MATRIX.put("premium", row(null, null, null, null, null, null, null, 1, 1, 1, 1));
        SEED_MATRIX.put("selfhosted", row(null, null, null, null, null, null, null, 1, 1, 1, 1));
    }

    static Map<String, Integer> row(Integer... limits) {
        Map<String, Integer> row = new LinkedHashMap<>();
        for (int i = 0; i < limits.length; i++) {
            row.put(FEATURES.get(i), limits[i]);
        }
        return row;
    }

    @Test
    void tiersAreTheSeedsWithPricesAndSortOrder() {
        List<String> rows = Database.query("""
                SELECT id, name, price_monthly_cents, price_yearly_cents, active, sort_order
                FROM tiers ORDER BY sort_order""").stream().map(Object::toString).toList();
        assertEquals(List.of(
                "{id=free, name=Free, price_monthly_cents=null, price_yearly_cents=null, active=true, sort_order=1}",
                "{id=basic, name=Basic, price_monthly_cents=499, price_yearly_cents=4990, active=true, sort_order=2}",
                "{id=premium, name=Premium, price_monthly_cents=999, price_yearly_cents=9990, active=true, sort_order=3}",
                "{id=selfhosted, name=Self-Hosted, price_monthly_cents=null, price_yearly_cents=null, active=false, sort_order=4}"),
                rows);
    }

    @Test
    void featuresAreTheSeedsWithTypeResetPeriodAndDefault() {
        Map<String, String> features = Database.query("""
                SELECT id, category, limit_type, reset_period, default_limit, active FROM features""").stream()
                .collect(Collectors.toMap(r -> (String) r.get("id"), r -> r.get("category") + "/" + r.get("limit_type")
                        + "/" + r.get("reset_period") + "/" + r.get("default_limit") + "/" + r.get("active")));
        Map<String, String> expected = Map.ofEntries(
                Map.entry("weight_entries", "data/count/never/null/true"),
                Map.entry("circumference_entries", "data/count/never/null/true"),
                Map.entry("caliper_entries", "data/count/never/null/true"),
                Map.entry("nutrition_entries", "data/count/never/null/true"),
                Map.entry("activity_entries", "data/count/never/null/true"),
                Map.entry("photos", "data/count/never/null/true"),
                Map.entry("ai_calls", "ai/count/monthly/0/true"),
                Map.entry("ai_pipeline", "ai/boolean/never/0/true"),
                Map.entry("export_csv", "export/boolean/never/0/true"),
                Map.entry("export_json", "export/boolean/never/0/true"),
                Map.entry("export_zip", "export/boolean/never/0/true"));
        assertEquals(expected, features);
    }

    @Test
    void everyOneOfThe44MatrixCellsIsTheSeeds() {
        assertEquals(44, Database.count("SELECT count(*) FROM tier_limits"));
        for (var tier : SEED_MATRIX.entrySet()) {
            for (var cell : tier.getValue().entrySet()) {
                List<Map<String, Object>> rows = Database.query(
                        "SELECT limit_value FROM tier_limits WHERE tier_id = ? AND feature_id = ?", tier.getKey(),
                        cell.getKey());
                assertEquals(1, rows.size(), tier.getKey() + "/" + cell.getKey() + " has a row");
                // NULL (unlimited) and 0 (disabled) are different cells
                assertEquals(cell.getValue(), rows.get(0).get("limit_value"), tier.getKey() + "/" + cell.getKey());
            }
        }
    }

    @Test
    void settingsAreTheSeedsPlusTheServicesOwn() {
        Map<String, Object> settings = Database.query("SELECT key, value FROM app_settings").stream()
                .collect(Collectors.toMap(r -> (String) r.get("key"), r -> r.get("value")));
        assertEquals(Map.ofEntries(Map.entry("trial_duration_days", "14"), Map.entry("post_trial_tier", "free"),
                Map.entry("require_email_verification", "true"), Map.entry("self_registration_enabled", "true"),
                Map.entry("trial_tier", "premium"), Map.entry("invitation_ttl_days", "7"),
                Map.entry("activity_retention_days", "365"), Map.entry("usage_reset_zone", "UTC"),
                Map.entry("grant_expiring_notice_days", "3"), Map.entry("usage_alert_thresholds", "80,100"),
                Map.entry("event_retention_days", "30"), Map.entry("billing_grace_days", "3")), settings);
    }

    /** Every table of the seed with every one of its columns (tables and columns may be added, never dropped). */
    static final Map<String, List<String>> SEED_COLUMNS = Map.ofEntries(
            Map.entry("app_settings", List.of("key", "value", "description", "updated")),
            Map.entry("tiers", List.of("id", "name", "description", "price_monthly_cents", "price_yearly_cents",
                    "stripe_price_id_monthly", "stripe_price_id_yearly", "active", "sort_order", "created", "updated")),
            Map.entry("features", List.of("id", "name", "description", "category", "limit_type", "reset_period",
                    "default_limit", "active", "created", "updated")),
            Map.entry("tier_limits", List.of("id", "tier_id", "feature_id", "limit_value", "created", "updated")),
            Map.entry("user_feature_restrictions", List.of("id", "profile_id", "feature_id", "limit_value", "reason",
                    "created_by", "created", "updated")),
            Map.entry("user_feature_usage", List.of("id", "profile_id", "feature_id", "usage_count", "reset_at",
                    "created", "updated")),
            Map.entry("coupons", List.of("id", "code", "type", "tier_id", "duration_days", "max_redemptions",
                    "redemption_count", "valid_from", "valid_until", "active", "created_by", "description", "created",
                    "updated")),
            Map.entry("coupon_redemptions", List.of("id", "coupon_id", "profile_id", "redeemed_at", "access_grant_id")),
            Map.entry("access_grants", List.of("id", "profile_id", "tier_id", "granted_by", "coupon_id", "valid_from",
                    "valid_until", "is_active", "paused_by", "paused_at", "remaining_days", "created", "updated")),
            Map.entry("user_activity_log", List.of("id", "profile_id", "action", "details", "ip_address", "user_agent",
                    "created")),
            Map.entry("user_stats", List.of("profile_id", "last_login", "login_count", "weight_entries_count",
                    "ai_calls_count", "photos_count", "total_data_points", "created", "updated")),
            Map.entry("profiles", List.of("id", "email", "role", "created", "tier", "trial_ends_at", "email_verified",
                    "email_verify_token", "invited_by", "invitation_token")));

    @Test
    void allTablesOfTheSeedExistWithTheirColumnsAndIndexes() {
        for (var table : SEED_COLUMNS.entrySet()) {
            List<String> columns = Database.query("""
                    SELECT column_name FROM information_schema.columns
                    WHERE table_schema = 'public' AND table_name = ?""", table.getKey()).stream()
                    .map(r -> (String) r.get("column_name")).toList();
            for (String column : table.getValue()) {
                assertEquals(true, columns.contains(column), table.getKey() + "." + column);
            }
        }
        for (String index : Arrays.asList("idx_tier_limits_tier", "idx_tier_limits_feature",
                "idx_user_restrictions_profile", "idx_user_usage_profile", "idx_access_grants_profile",
                "idx_access_grants_active", "idx_coupons_code", "idx_coupon_redemptions_profile",
                // V7 replaced the seed's activity indexes by the ones its keyset paging reads
                "idx_activity_log_profile_seq", "idx_activity_log_seq_action")) {
            assertEquals(1, Database.count("SELECT count(*) FROM pg_indexes WHERE indexname = ?", index), index);
        }
        for (String unused : Arrays.asList("idx_activity_log_profile", "idx_activity_log_action")) {
            assertEquals(0, Database.count("SELECT count(*) FROM pg_indexes WHERE indexname = ?", unused), unused);
        }
    }
}
