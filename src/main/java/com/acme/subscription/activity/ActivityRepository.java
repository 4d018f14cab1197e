package com.acme.subscription.activity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.acme.subscription.common.Page;
import com.acme.subscription.common.time.Timestamps;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Reads the activity log in keyset pages, newest first by its monotonic seq. */
@ApplicationScoped
public class ActivityRepository {

    private final Pool pool;
    private final ObjectMapper json;

    public ActivityRepository(Pool pool, ObjectMapper json) {
        this.pool = pool;
        this.json = json;
    }

    /** Filters; null means any. */
    public record Filter(String profileId, String action, Instant since, Instant until) {
    }

    public Uni<Page<ActivityView>> page(Filter filter, Page.Request page) {
        return pool.preparedQuery("""
                SELECT id, seq, profile_id, action, details::TEXT AS details, ip_address, user_agent, created
                FROM user_activity_log
                WHERE seq < $1
                  AND ($2::TEXT IS NULL OR profile_id = $2)
                  AND ($3::TEXT IS NULL OR action = $3)
                  AND ($4::TIMESTAMPTZ IS NULL OR created >= $4)
                  AND ($5::TIMESTAMPTZ IS NULL OR created < $5)
                ORDER BY seq DESC LIMIT $6
                """)
                .execute(Tuple.from(Arrays.asList(page.before(), filter.profileId(), filter.action(),
                        Timestamps.utc(filter.since()), Timestamps.utc(filter.until()), page.fetch())))
                .map(rows -> {
                    List<Row> list = new ArrayList<>();
                    rows.forEach(list::add);
                    return Page.of(page, list, row -> row.getLong("seq"), this::view);
                });
    }

    private ActivityView view(Row row) {
        try {
            return new ActivityView(row.getString("id"), row.getString("profile_id"), row.getString("action"),
                    json.readTree(row.getString("details")), row.getString("ip_address"), row.getString("user_agent"),
                    row.getOffsetDateTime("created").toInstant());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable activity details", e);
        }
    }
}
