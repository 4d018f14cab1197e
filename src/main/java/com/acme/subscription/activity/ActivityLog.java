package com.acme.subscription.activity;

import java.time.Instant;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import com.acme.subscription.common.time.Timestamps;

import io.quarkus.arc.Arc;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Appends activity entries inside the caller's transaction, so an entry exists exactly when
 * its change does. Entries written while serving a request carry its IP address (the
 * X-Forwarded-For client only with quarkus.http.proxy.proxy-address-forwarding) and user agent.
 */
@ApplicationScoped
public class ActivityLog {

    public static final String PROFILE_REGISTERED = "profile_registered";
    public static final String EMAIL_VERIFIED = "email_verified";
    public static final String LOGIN = "login";
    public static final String INVITATION_CREATED = "invitation_created";
    public static final String GRANT_CREATED = "grant_created";
    public static final String GRANT_REVOKED = "grant_revoked";
    public static final String GRANT_EXPIRED = "grant_expired";
    public static final String GRANT_PAUSED = "grant_paused";
    public static final String GRANT_RESUMED = "grant_resumed";
    public static final String COUPON_REDEEMED = "coupon_redeemed";
    public static final String TIER_CHANGED = "tier_changed";
    public static final String OVERRIDE_SET = "override_set";
    public static final String OVERRIDE_REMOVED = "override_removed";
    public static final String USAGE_RESET = "usage_reset";

    private static final int USER_AGENT_MAX = 512;

    private final Instance<CurrentVertxRequest> request;

    public ActivityLog(Instance<CurrentVertxRequest> request) {
        this.request = request;
    }

    public Uni<Void> append(SqlClient tx, String profileId, String action, Map<String, Object> details, Instant now) {
        Origin origin = origin();
        return tx.preparedQuery("""
                INSERT INTO user_activity_log (profile_id, action, details, ip_address, user_agent, created)
                VALUES ($1, $2, $3, $4, $5, $6)
                """)
                .execute(Tuple.from(new Object[] { profileId, action, new JsonObject(details), origin.ipAddress(),
                        origin.userAgent(), Timestamps.utc(now) }))
                .replaceWithVoid();
    }

    /** The request being served, or {@link Origin#NONE} outside of one (jobs). */
    public Origin origin() {
        if (!Arc.container().requestContext().isActive()) {
            return Origin.NONE;
        }
        RoutingContext current = request.get().getCurrent();
        if (current == null) {
            return Origin.NONE;
        }
        var address = current.request().remoteAddress();
        String userAgent = current.request().getHeader("User-Agent");
        if (userAgent != null && userAgent.length() > USER_AGENT_MAX) {
            userAgent = userAgent.substring(0, USER_AGENT_MAX);
        }
        return new Origin(address == null ? null : address.hostAddress(), userAgent);
    }
}
