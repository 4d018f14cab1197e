package com.acme.subscription.webhook;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.acme.subscription.common.Page;
import com.acme.subscription.common.time.Timestamps;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/** Webhook endpoints, their deliveries and the attempt log, in plain SQL, one statement each. */
@ApplicationScoped
public class WebhookRepository {

    private static final String COLUMNS = "id, url, event_types, description, active, previous_secret_until, created, updated";

    static final String INSERT = """
            INSERT INTO webhook_endpoints (id, url, event_types, description, active, secret, created, updated)
            VALUES ($1, $2, $3, $4, $7, $5, $6, $6)
            RETURNING\s""" + COLUMNS;

    static final String LIST = "SELECT " + COLUMNS + " FROM webhook_endpoints ORDER BY created, id";

    static final String GET = "SELECT " + COLUMNS + " FROM webhook_endpoints WHERE id = $1";

    static final String UPDATE = """
            UPDATE webhook_endpoints SET url = $2, event_types = $3, description = $4, active = $5, updated = $6
            WHERE id = $1
            RETURNING\s""" + COLUMNS;

    static final String DELETE = "DELETE FROM webhook_endpoints WHERE id = $1";

    /** The previous secret keeps signing until $3 (a second rotation ends the first one's grace). */
    static final String ROTATE = """
            UPDATE webhook_endpoints SET previous_secret = secret, previous_secret_until = $3, secret = $2, updated = $4
            WHERE id = $1
            RETURNING previous_secret_until
            """;

    /** One page of the endpoint's attempt log, newest first; $3 a delivery status or null. */
    static final String ATTEMPTS = """
            SELECT a.id, e.id AS event_id, e.type, a.attempt, a.attempted_at, a.duration_ms, a.status_code, a.error,
                   a.succeeded, d.status
            FROM webhook_attempts a
            JOIN events e ON e.seq = a.event_seq
            JOIN webhook_deliveries d ON d.endpoint_id = a.endpoint_id AND d.event_seq = a.event_seq
            WHERE a.endpoint_id = $1 AND a.id < $2 AND ($3::TEXT IS NULL OR d.status = $3)
            ORDER BY a.id DESC
            LIMIT $4
            """;

    /**
     * Sends the delivery again now, with a new retry window; the dispatchers of every replica are
     * woken, as when a delivery is queued (at commit, and only when there was one).
     */
    static final String RETRY = """
            UPDATE webhook_deliveries d SET status = 'pending', next_attempt_at = $3, first_attempt_at = NULL,
                   delivered_at = NULL
            FROM events e
            WHERE d.endpoint_id = $1 AND e.id = $2 AND d.event_seq = e.seq
            RETURNING e.id, d.status, d.attempts, d.next_attempt_at, pg_notify('%s', '') IS NULL AS woke
            """.formatted(DispatchTriggers.CHANNEL);

    /**
     * Queues again every event since $2 the endpoint wants, delivered or not, with a new retry window;
     * the dispatchers are woken when one was queued.
     */
    static final String REPLAY = """
            WITH wanted AS (
                SELECT e.seq FROM events e JOIN webhook_endpoints w ON w.id = $1
                WHERE e.time >= $2 AND (cardinality(w.event_types) = 0 OR e.type = ANY (w.event_types))
            ),
            queued AS (
                INSERT INTO webhook_deliveries AS d (endpoint_id, event_seq, next_attempt_at, created)
                SELECT $1, seq, $3, $3 FROM wanted
                ON CONFLICT (endpoint_id, event_seq) DO UPDATE SET status = 'pending', next_attempt_at = $3,
                    first_attempt_at = NULL, delivered_at = NULL
                RETURNING 1
            )
            SELECT count(*), bool_and(pg_notify('%s', '') IS NULL) AS woke FROM queued
            """.formatted(DispatchTriggers.CHANNEL);

    /** Per endpoint: deliveries waiting, given up, and the time of the oldest event still waiting. */
    static final String HEALTH = """
            SELECT w.id, w.url, w.active,
                   count(d.event_seq) FILTER (WHERE d.status = 'pending') AS pending,
                   count(d.event_seq) FILTER (WHERE d.status = 'failed') AS failed,
                   min(e.time) AS oldest_pending
            FROM webhook_endpoints w
            LEFT JOIN webhook_deliveries d ON d.endpoint_id = w.id AND d.status <> 'delivered'
            LEFT JOIN events e ON e.seq = d.event_seq AND d.status = 'pending'
            GROUP BY w.id
            ORDER BY w.created, w.id
            """;

    private final Pool pool;

    public WebhookRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<WebhookView> insert(String id, String url, List<String> types, String description, boolean active,
            String secret, Instant now) {
        return pool.preparedQuery(INSERT)
                .execute(Tuple.from(Arrays.asList(id, url, types.toArray(String[]::new), description, secret,
                        Timestamps.utc(now), active)))
                .map(rows -> view(rows.iterator().next()));
    }

    public Uni<List<WebhookView>> list() {
        return pool.preparedQuery(LIST).execute().map(WebhookRepository::views);
    }

    public Uni<List<WebhookHealth>> health() {
        return pool.preparedQuery(HEALTH).execute().map(rows -> {
            List<WebhookHealth> health = new ArrayList<>();
            rows.forEach(row -> health.add(new WebhookHealth(row.getString("id"), row.getString("url"),
                    row.getBoolean("active"), row.getLong("pending"), row.getLong("failed"),
                    Timestamps.instant(row.getOffsetDateTime("oldest_pending")))));
            return health;
        });
    }

    public Uni<Optional<WebhookView>> get(String id) {
        return pool.preparedQuery(GET).execute(Tuple.of(id)).map(WebhookRepository::first);
    }

    public Uni<Optional<WebhookView>> update(String id, String url, List<String> types, String description,
            boolean active, Instant now) {
        return pool.preparedQuery(UPDATE)
                .execute(Tuple.from(Arrays.asList(id, url, types.toArray(String[]::new))).addValue(description)
                        .addValue(active).addValue(Timestamps.utc(now)))
                .map(WebhookRepository::first);
    }

    public Uni<Boolean> delete(String id) {
        return pool.preparedQuery(DELETE).execute(Tuple.of(id)).map(rows -> rows.rowCount() > 0);
    }

    public Uni<Optional<Instant>> rotate(String id, String secret, Instant previousUntil, Instant now) {
        return pool.preparedQuery(ROTATE)
                .execute(Tuple.of(id, secret, Timestamps.utc(previousUntil), Timestamps.utc(now)))
                .map(rows -> rows.rowCount() == 0 ? Optional.empty()
                        : Optional.of(Timestamps.instant(rows.iterator().next().getOffsetDateTime(0))));
    }

    public Uni<Page<DeliveryAttempt>> attempts(String id, String status, Page.Request request) {
        return pool.preparedQuery(ATTEMPTS).execute(Tuple.of(id, request.before(), status, request.fetch()))
                .map(rows -> {
                    List<Row> list = new ArrayList<>();
                    rows.forEach(list::add);
                    return Page.of(request, list, row -> row.getLong("id"), WebhookRepository::attempt);
                });
    }

    public Uni<Optional<DeliveryView>> retry(String id, UUID eventId, Instant now) {
        return pool.preparedQuery(RETRY).execute(Tuple.of(id, eventId, Timestamps.utc(now)))
                .map(rows -> rows.rowCount() == 0 ? Optional.empty() : Optional.of(delivery(rows.iterator().next())));
    }

    public Uni<Long> replay(String id, Instant since, Instant now) {
        return pool.preparedQuery(REPLAY).execute(Tuple.of(id, Timestamps.utc(since), Timestamps.utc(now)))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    private static Optional<WebhookView> first(RowSet<Row> rows) {
        return rows.rowCount() == 0 ? Optional.empty() : Optional.of(view(rows.iterator().next()));
    }

    private static List<WebhookView> views(RowSet<Row> rows) {
        List<WebhookView> views = new ArrayList<>();
        rows.forEach(row -> views.add(view(row)));
        return views;
    }

    static WebhookView view(Row row) {
        return new WebhookView(row.getString("id"), row.getString("url"),
                Arrays.asList(row.getArrayOfStrings("event_types")), row.getString("description"),
                row.getBoolean("active"), Timestamps.instant(row.getOffsetDateTime("previous_secret_until")),
                Timestamps.instant(row.getOffsetDateTime("created")), Timestamps.instant(row.getOffsetDateTime("updated")));
    }

    private static DeliveryAttempt attempt(Row row) {
        return new DeliveryAttempt(row.getUUID("event_id").toString(), row.getString("type"), row.getInteger("attempt"),
                Timestamps.instant(row.getOffsetDateTime("attempted_at")), row.getLong("duration_ms"),
                row.getInteger("status_code"), row.getString("error"), row.getBoolean("succeeded"),
                row.getString("status"));
    }

    private static DeliveryView delivery(Row row) {
        return new DeliveryView(row.getUUID("id").toString(), row.getString("status"), row.getInteger("attempts"),
                Timestamps.instant(row.getOffsetDateTime("next_attempt_at")));
    }
}
