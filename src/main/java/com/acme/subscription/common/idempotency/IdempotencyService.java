package com.acme.subscription.common.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.acme.subscription.common.error.ApiException;
import com.acme.subscription.common.error.Problem;
import com.acme.subscription.common.time.Timestamps;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Runs a retryable write at most once per Idempotency-Key (docs/idempotency.md).
 * <p>
 * The key is first claimed in its own statement, so that a concurrent duplicate sees it
 * in progress (409). The work and the stored response then commit in one transaction:
 * either both or neither, so a crash in between leaves a claim that expires, never a
 * change without its response. 5xx and 429 answers are not stored.
 */
@ApplicationScoped
public class IdempotencyService {

    /** A claim whose holder has not finished by then is taken to be abandoned. */
    private static final String LEASE = "60 seconds";

    /** Claims the key for a first attempt: a new key, an expired one, or an attempt whose lease ran out. */
    static final String CLAIM = """
            INSERT INTO idempotency_keys AS k (subject, method, path, idempotency_key, request_hash, state,
                                               locked_until, created, expires_at)
            VALUES ($1, $2, $3, $4, $5, 'in_progress', $6::TIMESTAMPTZ + INTERVAL '%s', $6::TIMESTAMPTZ,
                    $6::TIMESTAMPTZ + INTERVAL '24 hours')
            ON CONFLICT (subject, method, path, idempotency_key) DO UPDATE SET
                request_hash = EXCLUDED.request_hash, state = 'in_progress', response_status = NULL,
                response_body = NULL, locked_until = EXCLUDED.locked_until, created = EXCLUDED.created,
                expires_at = EXCLUDED.expires_at
            WHERE k.expires_at <= $6::TIMESTAMPTZ OR (k.state = 'in_progress' AND k.locked_until <= $6::TIMESTAMPTZ)
            RETURNING true
            """.formatted(LEASE);

    /** The key's stored state, for a retry. */
    static final String EXISTING = """
            SELECT request_hash, state, response_status, response_body FROM idempotency_keys
            WHERE subject = $1 AND method = $2 AND path = $3 AND idempotency_key = $4
            """;

    /** The answer of a completed first attempt, in its transaction. */
    static final String STORE = """
            UPDATE idempotency_keys SET state = 'completed', response_status = $5, response_body = $6
            WHERE subject = $1 AND method = $2 AND path = $3 AND idempotency_key = $4
            """;

    /** Frees the key of a first attempt that ended without a storable answer. */
    static final String RELEASE = """
            DELETE FROM idempotency_keys
            WHERE subject = $1 AND method = $2 AND path = $3 AND idempotency_key = $4 AND state = 'in_progress'
            """;

    private final Pool pool;
    private final Clock clock;
    private final ObjectMapper json;

    public IdempotencyService(Pool pool, Clock clock, ObjectMapper json) {
        this.pool = pool;
        this.clock = clock;
        this.json = json;
    }

    /**
     * @param transactional whether the work needs a transaction even without a key (several statements)
     */
    public Uni<Response> execute(IdempotentRequest request, boolean transactional,
            Function<SqlClient, Uni<Reply>> work) {
        return execute(request, transactional, work, refusal -> Uni.createFrom().voidItem());
    }

    /**
     * @param onRefused runs when the work refused the request (an {@link ApiException}), after its
     *        transaction has ended and released its connection
     */
    public Uni<Response> execute(IdempotentRequest request, boolean transactional,
            Function<SqlClient, Uni<Reply>> work, Function<ApiException, Uni<Void>> onRefused) {
        if (!request.hasKey()) {
            Uni<Reply> reply = transactional ? pool.withTransaction(work::apply) : work.apply(pool);
            return reply.onFailure(ApiException.class).call(e -> onRefused.apply((ApiException) e))
                    .map(this::toResponse);
        }
        String hash = hash(request.request());
        Instant now = clock.instant();
        return claim(request, hash, now).flatMap(claimed -> claimed
                ? runClaimed(request, work, onRefused)
                : existing(request, hash));
    }

    private Uni<Response> runClaimed(IdempotentRequest request, Function<SqlClient, Uni<Reply>> work,
            Function<ApiException, Uni<Void>> onRefused) {
        return pool.withTransaction(tx -> work.apply(tx)
                .flatMap(reply -> store(tx, request, reply).replaceWith(reply)))
                .onFailure(ApiException.class).call(e -> onRefused.apply((ApiException) e))
                .onFailure(ApiException.class).recoverWithUni(failure -> {
                    ApiException e = (ApiException) failure;
                    Reply problem = new Reply(e.status(),
                            Problem.of(e.status(), e.code(), e.getMessage(), request.path(), e.extensions()));
                    return storable(problem)
                            ? store(pool, request, problem).replaceWith(problem)
                            : release(request).replaceWith(problem);
                })
                .onFailure().call(failure -> release(request))
                .map(this::toResponse);
    }

    private Uni<Boolean> claim(IdempotentRequest request, String hash, Instant now) {
        return pool.preparedQuery(CLAIM)
                .execute(Tuple.from(new Object[] { request.subject(), request.method(), request.path(), request.key(),
                        hash, Timestamps.utc(now) }))
                .map(rows -> rows.rowCount() == 1);
    }

    private Uni<Response> existing(IdempotentRequest request, String hash) {
        return pool.preparedQuery(EXISTING)
                .execute(Tuple.of(request.subject(), request.method(), request.path(), request.key()))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        // the claim was released a moment ago by a failed first attempt
                        throw inUse();
                    }
                    var row = rows.iterator().next();
                    if ("in_progress".equals(row.getString("state"))) {
                        throw inUse();
                    }
                    if (!hash.equals(row.getString("request_hash"))) {
                        throw new ApiException(422, "idempotency_key_reused",
                                "This Idempotency-Key was used with a different request.");
                    }
                    int status = row.getInteger("response_status");
                    return Response.status(status).type(mediaType(status)).entity(row.getString("response_body"))
                            .header("Idempotent-Replayed", "true").build();
                });
    }

    private Uni<Void> store(SqlClient client, IdempotentRequest request, Reply reply) {
        if (!storable(reply)) {
            return Uni.createFrom().voidItem();
        }
        return client.preparedQuery(STORE)
                .execute(Tuple.from(new Object[] { request.subject(), request.method(), request.path(), request.key(),
                        reply.status(), write(reply.body()) }))
                .replaceWithVoid();
    }

    private Uni<Void> release(IdempotentRequest request) {
        return pool.preparedQuery(RELEASE)
                .execute(Tuple.of(request.subject(), request.method(), request.path(), request.key()))
                .replaceWithVoid()
                .onFailure().recoverWithNull();
    }

    private static boolean storable(Reply reply) {
        return reply.status() < 500 && reply.status() != 429;
    }

    private Response toResponse(Reply reply) {
        return Response.status(reply.status()).type(mediaType(reply.status())).entity(reply.body()).build();
    }

    private static MediaType mediaType(int status) {
        return status >= 400 ? Problem.MEDIA_TYPE : MediaType.APPLICATION_JSON_TYPE;
    }

    private static ApiException inUse() {
        return new ApiException(409, "idempotency_key_in_use",
                "A request with this Idempotency-Key is still being processed; retry later.", Map.of());
    }

    private String write(Object body) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Response not serialisable", e);
        }
    }

    private String hash(Object request) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(write(request).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
