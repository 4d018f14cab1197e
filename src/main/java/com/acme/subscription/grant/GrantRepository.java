package com.acme.subscription.grant;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.acme.subscription.activity.Origin;
import com.acme.subscription.common.time.Timestamps;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Access grants and the Wellpass rule ({@link GrantSql}). Changes are statements inside the
 * caller's transaction, which holds the profile's lock ({@link #lockProfile}): changes to one
 * profile's grants are serialised. The plain listing reads through Panache. The origin of the
 * activity entries a change writes is the caller's to give: a repository does not read the request.
 */
@ApplicationScoped
public class GrantRepository implements PanacheRepositoryBase<AccessGrant, String> {

    /** A profile's current grants (in force or paused) at ?2, newest first. */
    static final String CURRENT = "profileId = ?1 and ((isActive = true and validUntil > ?2) or pausedBy is not null)";

    /** All of a profile's grants, also those that ended or were revoked. */
    static final String ALL = "profileId = ?1";

    /** The order of a listing: newest first, ties by id. */
    private static final Sort NEWEST_FIRST = Sort.descending("created").and("id");

    /** Rows a settle changed: grants expired and grants resumed. */
    public record Settled(long expired, long resumed) {

        public long total() {
            return expired + resumed;
        }
    }

    /**
     * Locks the profile row for the rest of the transaction ({@link GrantSql#LOCK_PROFILE}) and
     * answers whether the profile exists. This is the lock that serialises every change to one
     * profile, in this package and outside it: take it before anything else in the transaction.
     */
    public Uni<Boolean> lockProfile(SqlClient tx, String profileId) {
        return tx.preparedQuery(GrantSql.LOCK_PROFILE).execute(Tuple.of(profileId)).map(rows -> rows.rowCount() > 0);
    }

    /** When the grants of the profile, whose lock the caller holds, last changed ({@link GrantSql#LAST_CHANGE}). */
    public Uni<Optional<Instant>> lastChange(SqlClient tx, String profileId) {
        return tx.preparedQuery(GrantSql.LAST_CHANGE).execute(Tuple.of(profileId))
                .map(rows -> Optional.ofNullable(rows.iterator().next().getOffsetDateTime("at"))
                        .map(OffsetDateTime::toInstant));
    }

    /**
     * Makes the table true for one profile at {@code now}: due grants expire, grants whose
     * Wellpass pause ended resume (and expire too if their remaining time is also over).
     */
    public Uni<Settled> settle(SqlClient tx, String profileId, Instant now, Origin origin) {
        return settle(tx, List.of(profileId), now, origin);
    }

    /** {@link #settle(SqlClient, String, Instant, Origin)} for several profiles, whose rows the caller has locked. */
    public Uni<Settled> settle(SqlClient tx, List<String> profileIds, Instant now, Origin origin) {
        Tuple args = Tuple.of(profileIds.toArray(new String[0]), Timestamps.utc(now), origin.ipAddress(),
                origin.userAgent());
        return tx.preparedQuery(GrantSql.EXPIRE).execute(args)
                .flatMap(expired -> tx.preparedQuery(GrantSql.RESUME).execute(args)
                        .flatMap(resumed -> tx.preparedQuery(GrantSql.EXPIRE).execute(args)
                                .map(expiredAfter -> new Settled(
                                        count(expired) + count(expiredAfter), count(resumed)))))
                .call(settled -> settled.total() == 0 ? Uni.createFrom().voidItem()
                        : announceTiers(tx, profileIds, now,
                                settled.resumed() > 0 ? TierChange.GRANT_RESUMED : TierChange.GRANT_EXPIRED))
                .call(settled -> announceExpiring(tx, profileIds, now));
    }

    /**
     * grant.expiring for these profiles' grants that end within the notice from now: after a settle, and
     * after a write that starts a grant or moves its end, so that a grant which ends before the next job
     * run is announced too.
     */
    private Uni<Void> announceExpiring(SqlClient tx, List<String> profileIds, Instant now) {
        return tx.preparedQuery(GrantSql.ANNOUNCE_EXPIRING)
                .execute(Tuple.of(profileIds.toArray(new String[0]), Timestamps.utc(now), Integer.MAX_VALUE))
                .replaceWithVoid();
    }

    /** Why an effective tier changed, as profile.tier_changed says it ({@code source}). */
    public enum TierChange {
        GRANT_CREATED, GRANT_REVOKED, GRANT_EXPIRED, GRANT_RESUMED, BASE_TIER, COUPON_REDEEMED;

        String wire() {
            return name().toLowerCase();
        }
    }

    /** Announces the effective tiers of these profiles that changed since their last announcement ({@link GrantSql#ANNOUNCE_TIERS}). */
    public Uni<Long> announceTiers(SqlClient tx, List<String> profileIds, Instant now, TierChange source) {
        return tx.preparedQuery(GrantSql.ANNOUNCE_TIERS)
                .execute(Tuple.of(profileIds.toArray(new String[0]), Timestamps.utc(now), source.wire()))
                .map(GrantRepository::count);
    }

    private static long count(RowSet<Row> rows) {
        return rows.iterator().next().getLong("rows");
    }

    /**
     * Creates a grant under the Wellpass rule: a Wellpass grant pauses the profile's other
     * grants in force; any other grant is created paused while a Wellpass grant is in force.
     */
    public Uni<GrantView> create(SqlClient tx, NewGrant grant, Instant now, Origin origin) {
        String id = UUID.randomUUID().toString();
        return tx.preparedQuery(GrantSql.CREATE)
                .execute(Tuple.from(Arrays.asList(id, grant.profileId(), grant.tierId(), grant.grantedBy(),
                        grant.couponId(), grant.wellpass(), Timestamps.utc(grant.validFrom()), Timestamps.utc(now),
                        Timestamps.utc(grant.validUntil()), grant.subscriptionId())))
                .map(rows -> GrantView.from(read(rows.iterator().next())))
                .call(created -> created.wellpass() ? pauseOthers(tx, created, now, origin) : Uni.createFrom().voidItem())
                .call(created -> announceTiers(tx, List.of(created.profileId()), now, TierChange.GRANT_CREATED))
                .call(created -> announceExpiring(tx, List.of(created.profileId()), now));
    }

    private Uni<Void> pauseOthers(SqlClient tx, GrantView wellpass, Instant now, Origin origin) {
        return tx.preparedQuery(GrantSql.PAUSE_OTHERS)
                .execute(Tuple.of(wellpass.profileId(), wellpass.id(), Timestamps.utc(now), origin.ipAddress(),
                        origin.userAgent()))
                .replaceWithVoid();
    }

    /** The grant in force that a Stripe subscription pays for. */
    public Uni<Optional<GrantView>> ofSubscription(SqlClient tx, String subscriptionId) {
        return tx.preparedQuery(GrantSql.OF_SUBSCRIPTION)
                .execute(Tuple.of(subscriptionId))
                .map(rows -> rows.rowCount() == 0 ? Optional.empty()
                        : Optional.of(GrantView.from(read(rows.iterator().next()))));
    }

    /** Moves the end of a grant in force (renewals and cancellations of a subscription). */
    public Uni<GrantView> moveEnd(SqlClient tx, String grantId, Instant validUntil, Instant now) {
        return tx.preparedQuery(GrantSql.MOVE_END)
                .execute(Tuple.of(grantId, Timestamps.utc(validUntil), Timestamps.utc(now)))
                .map(rows -> GrantView.from(read(rows.iterator().next())))
                .call(moved -> refreshStates(tx, List.of(moved.profileId()), now))
                .call(moved -> announceExpiring(tx, List.of(moved.profileId()), now));
    }

    /**
     * Writes the stored state of these profiles where it is stale or differs ({@link GrantSql#REFRESH_STATES}),
     * announcing nothing; answers how many it wrote.
     */
    public Uni<Long> refreshStates(SqlClient tx, List<String> profileIds, Instant now) {
        return tx.preparedQuery(GrantSql.REFRESH_STATES)
                .execute(Tuple.of(profileIds.toArray(new String[0]), Timestamps.utc(now)))
                .map(GrantRepository::count);
    }

    public Uni<Optional<GrantView>> findGrant(SqlClient tx, String profileId, String grantId) {
        return tx.preparedQuery(GrantSql.FIND)
                .execute(Tuple.of(grantId, profileId))
                .map(rows -> rows.rowCount() == 0 ? Optional.empty()
                        : Optional.of(GrantView.from(read(rows.iterator().next()))));
    }

    /**
     * Revokes now: inactive, validUntil now, pause fields cleared, revokedAt set; it never
     * resumes. A revoked Wellpass grant ends now, so its paused grants resume at once (or
     * move to another Wellpass grant in force).
     */
    public Uni<GrantView> revoke(SqlClient tx, String grantId, Instant now, Origin origin) {
        return tx.preparedQuery(GrantSql.REVOKE)
                .execute(Tuple.of(grantId, Timestamps.utc(now)))
                .map(rows -> GrantView.from(read(rows.iterator().next())))
                .call(revoked -> announceTiers(tx, List.of(revoked.profileId()), now, TierChange.GRANT_REVOKED))
                .call(revoked -> settle(tx, revoked.profileId(), now, origin));
    }

    /**
     * Revokes a grant and creates its successor as one change (a subscription moved to another
     * tier's price): the effective tier is announced once, by the creation, from the old tier to
     * the new one, never through the tier that applied for no time between them.
     */
    public Uni<GrantView> replace(SqlClient tx, String grantId, NewGrant successor, Instant now, Origin origin) {
        return tx.preparedQuery(GrantSql.REVOKE)
                .execute(Tuple.of(grantId, Timestamps.utc(now)))
                .flatMap(revoked -> create(tx, successor, now, origin))
                .call(created -> settle(tx, created.profileId(), now, origin));
    }

    /** Current grants (in force and paused) at {@code now}, or all of them; newest first. Needs a Panache session. */
    public Uni<List<AccessGrant>> listed(String profileId, boolean includeInactive, Instant now) {
        return includeInactive ? list(ALL, NEWEST_FIRST, profileId) : list(CURRENT, NEWEST_FIRST, profileId, now);
    }

    /** Grants in force by who gave them, and grants paused. */
    public record GrantCounts(Map<String, Long> inForceByGrantor, long paused) {
    }

    /**
     * The grants of every profile at {@code now} as the check sees them ({@link GrantSql#COUNTS_AT}):
     * a grant whose Wellpass pause has ended counts as resumed, before a job writes it.
     */
    public Uni<GrantCounts> countsAt(SqlClient client, Instant now) {
        return client.preparedQuery(GrantSql.COUNTS_AT).execute(Tuple.of(new String[0], Timestamps.utc(now)))
                .map(rows -> {
                    Map<String, Long> inForce = new TreeMap<>();
                    long paused = 0;
                    for (Row row : rows) {
                        if (row.getString("granted_by") == null) {
                            paused = row.getLong("n");
                        } else {
                            inForce.put(row.getString("granted_by"), row.getLong("n"));
                        }
                    }
                    return new GrantCounts(inForce, paused);
                });
    }

    /** The one mapping of a row of {@link GrantSql#COLUMNS} (a statement's RETURNING) to the entity. */
    static AccessGrant read(Row row) {
        AccessGrant grant = new AccessGrant();
        grant.id = row.getString("id");
        grant.profileId = row.getString("profile_id");
        grant.tierId = row.getString("tier_id");
        grant.grantedBy = row.getString("granted_by");
        grant.couponId = row.getString("coupon_id");
        grant.validFrom = Timestamps.instant(row.getOffsetDateTime("valid_from"));
        grant.validUntil = Timestamps.instant(row.getOffsetDateTime("valid_until"));
        grant.isActive = row.getBoolean("is_active");
        grant.pausedBy = row.getString("paused_by");
        grant.pausedAt = Timestamps.instant(row.getOffsetDateTime("paused_at"));
        grant.remainingDays = row.getInteger("remaining_days");
        grant.remainingSeconds = row.getLong("remaining_seconds");
        grant.wellpass = row.getBoolean("wellpass");
        grant.subscriptionId = row.getString("subscription_id");
        grant.revokedAt = Timestamps.instant(row.getOffsetDateTime("revoked_at"));
        grant.created = Timestamps.instant(row.getOffsetDateTime("created"));
        grant.updated = Timestamps.instant(row.getOffsetDateTime("updated"));
        return grant;
    }

}
