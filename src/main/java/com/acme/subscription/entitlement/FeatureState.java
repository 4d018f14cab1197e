package com.acme.subscription.entitlement;

import java.time.Instant;

import com.acme.subscription.catalog.LimitType;
import com.acme.subscription.catalog.ResetPeriod;

import io.vertx.mutiny.sqlclient.Row;

/** One feature as one profile sees it now: the limit already resolved, the counter of the current period. */
public record FeatureState(String featureId, LimitType limitType, ResetPeriod resetPeriod, boolean active,
        String category, String limitSource, Integer limit, long used, Instant resetAt, Instant nextReset) {

    static FeatureState from(Row row) {
        return new FeatureState(row.getString("feature_id"),
                LimitType.valueOf(row.getString("limit_type").toUpperCase()),
                ResetPeriod.valueOf(row.getString("reset_period").toUpperCase()),
                row.getBoolean("feature_active"),
                row.getString("category"),
                row.getString("limit_source"),
                row.getInteger("effective_limit"),
                row.getLong("used"),
                instant(row, "reset_at"),
                instant(row, "next_reset"));
    }

    /**
     * The same feature with its counter as a statement left it. A counter that never resets has no reset time, whatever
     * its row still holds from a period the feature had before (the check reads it so too).
     */
    public FeatureState withUsage(long newUsed, Instant newResetAt) {
        Instant reset = resetPeriod == ResetPeriod.NEVER ? null : newResetAt == null ? resetAt : newResetAt;
        return new FeatureState(featureId, limitType, resetPeriod, active, category, limitSource, limit, newUsed,
                reset, nextReset);
    }

    static Instant instant(Row row, String column) {
        var value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }
}
