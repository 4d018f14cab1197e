package com.acme.subscription.coupon;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.acme.subscription.common.error.ApiException;
import com.acme.subscription.common.time.Timestamps;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The limit on failed redemptions: after 10 failures (404, 409, 410) by one profile within a
 * sliding 15 minutes, every attempt is refused with 429 until enough of them leave the
 * window. Counted in PostgreSQL, so the limit holds across replicas; an attempt counts and
 * records under the profile's lock, so attempts sent at once are counted one after the other.
 */
@ApplicationScoped
public class RedemptionFailures {

    static final int LIMIT = 10;
    static final Duration WINDOW = Duration.ofMinutes(15);

    /** The failure whose leaving the window brings the profile below the limit; none while it is below. */
    static final String BLOCKING = """
            SELECT failed_at FROM redemption_failures
            WHERE profile_id = $1 AND failed_at > $2
            ORDER BY failed_at DESC OFFSET $3 - 1 LIMIT 1
            """;

    /** A failed attempt (of an existing profile). */
    static final String RECORD = """
            INSERT INTO redemption_failures (profile_id, code, failed_at)
            SELECT id, $2, $3 FROM profiles WHERE id = $1
            """;

    /** Fails with 429 (and Retry-After) while the profile is over the limit. */
    public Uni<Void> requireAllowed(SqlClient client, String profileId, Instant now) {
        return client.preparedQuery(BLOCKING)
                .execute(Tuple.of(profileId, Timestamps.utc(now.minus(WINDOW)), LIMIT))
                .map(rows -> {
                    // the failure whose leaving the window brings the count below the limit
                    Optional<Instant> blocking = rows.rowCount() == 0 ? Optional.empty()
                            : Optional.of(rows.iterator().next().getOffsetDateTime("failed_at").toInstant());
                    blocking.ifPresent(failedAt -> {
                        long millis = Duration.between(now, failedAt.plus(WINDOW)).toMillis();
                        long seconds = Math.max(1, (millis + 999) / 1000);
                        throw new ApiException(429, "too_many_attempts",
                                "Too many failed redemptions; retry in " + seconds + " seconds.",
                                Map.of("retryAfter", seconds));
                    });
                    return null;
                });
    }

    /** Records a failure in the attempt's transaction, which holds the profile's lock and commits it. */
    public Uni<Void> record(SqlClient client, String profileId, String code, Instant now) {
        return client.preparedQuery(RECORD)
                .execute(Tuple.of(profileId, code, Timestamps.utc(now)))
                .replaceWithVoid();
    }
}
