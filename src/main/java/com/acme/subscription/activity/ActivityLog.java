package com.acme.subscription.activity;

import java.time.Instant;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.acme.subscription.common.time.Timestamps;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Appends activity entries inside the caller's transaction, so an entry exists exactly when its change does. */
@ApplicationScoped
public class ActivityLog {

    public static final String PROFILE_REGISTERED = "profile_registered";
    public static final String EMAIL_VERIFIED = "email_verified";
    public static final String GRANT_CREATED = "grant_created";
    public static final String GRANT_REVOKED = "grant_revoked";
    public static final String COUPON_REDEEMED = "coupon_redeemed";
    public static final String TIER_CHANGED = "tier_changed";
    public static final String OVERRIDE_SET = "override_set";
    public static final String OVERRIDE_REMOVED = "override_removed";

    public Uni<Void> append(SqlClient tx, String profileId, String action, Map<String, Object> details, Instant now) {
        return tx.preparedQuery("""
                INSERT INTO user_activity_log (id, profile_id, action, details, created)
                VALUES (gen_random_uuid()::TEXT, $1, $2, $3, $4)
                """)
                .execute(Tuple.of(profileId, action, new JsonObject(details), Timestamps.utc(now)))
                .replaceWithVoid();
    }
}
