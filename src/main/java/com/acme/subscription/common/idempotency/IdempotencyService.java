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

import com.acme.subscription.common.Ids;
import com.acme.subscription.common.database.GroupCommit;
import com.acme.subscription.common.error.ApiException;
import com.acme.subscription.common.error.Problem;
import com.acme.subscription.common.time.Timestamps;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Runs a retryable write at most once per Idempotency-Key (docs/idempotency.md).
 * <p>
 * "In use" is a transaction-scoped PostgreSQL advisory lock on the key, taken in the same
 * transaction as the work and its stored answer. The lock lives exactly as long as the first
 * attempt: it ends with its commit, its rollback, its lost connection or a database crash, so
 * a retry is never refused for an attempt that has already ended. The lock only says "in use";
 * what a retry gets again is the committed row, matched on the whole key. 5xx and 429 answers
 * are not stored.
 */
@ApplicationScoped
public class IdempotencyService {

    /** Paths stored as they are in a key's row; longer ones as their digest ({@link #keyPath}). */
    static final int KEY_PATH_MAX = 1000;

    /**
     * Takes the key for this transaction, or answers false while another attempt holds it. The
     * 64-bit hash can collide for two different keys; that costs a 409 for one of two requests
     * running at the same moment, never a wrong answer.
     */
    static final String LOCK = """
            SELECT pg_try_advisory_xact_lock(hashtextextended($1 || E'\\n' || $2 || E'\\n' || $3 || E'\\n' || $4, 0))
            """;

    /**
     * The answer stored for the key, read after the lock is held (a statement of its own, so that
     * it sees what an attempt that held the lock just before has committed). A row 'in_progress'
     * is the claim of a replica of the release before, which claimed keys with a lease: it is
     * honoured until its lease ends.
     */
    static final String STORED = """
            SELECT request_hash, state, response_status, response_body FROM idempotency_keys
            WHERE subject = $1 AND method = $2 AND path = $3 AND idempotency_key = $4
              AND expires_at > $5::TIMESTAMPTZ AND (state = 'completed' OR locked_until > $5::TIMESTAMPTZ)
            """;

    /**
     * Stores the answer of the attempt that holds the key, replacing a forgotten or abandoned one,
     * with the profile it is about ($9), so that erasing the profile erases it too.
     */
    static final String STORE = """
            INSERT INTO idempotency_keys AS k (subject, method, path, idempotency_key, request_hash, state,
                                               response_status, response_body, created, expires_at, profile_id)
            VALUES ($1, $2, $3, $4, $5, 'completed', $6, $7, $8::TIMESTAMPTZ, $8::TIMESTAMPTZ + INTERVAL '24 hours', $9)
            ON CONFLICT (subject, method, path, idempotency_key) DO UPDATE SET
                request_hash = EXCLUDED.request_hash, state = 'completed', response_status = EXCLUDED.response_status,
                response_body = EXCLUDED.response_body, locked_until = NULL, created = EXCLUDED.created,
                expires_at = EXCLUDED.expires_at, profile_id = EXCLUDED.profile_id
            WHERE k.expires_at <= $8::TIMESTAMPTZ OR (k.state = 'in_progress' AND k.locked_until <= $8::TIMESTAMPTZ)
            """;

    private final Pool pool;
    private final GroupCommit writes;
    private final Clock clock;
    private final ObjectMapper json;

    public IdempotencyService(Pool pool, GroupCommit writes, Clock clock, ObjectMapper json) {
        this.pool = pool;
        this.writes = writes;
        this.clock = clock;
        this.json = json;
    }

    /**
     * @param transactional whether the work needs a transaction even without a key (several statements);
     *        work that does not, sent without a key, runs in a group of such writes that commit together
     *        ({@link GroupCommit}), keyed by the request's profile
     */
    public Uni<Response> execute(IdempotentRequest request, boolean transactional,
            Function<SqlClient, Uni<Reply>> work) {
        return execute(request, transactional, work, refusal -> Uni.createFrom().voidItem());
    }

    /**
     * {@link #execute} for work that a group of writes committing together runs in one statement
     * with the others of {@code merged} ({@link GroupCommit#run(String, GroupCommit.Merged, Object, Function, Function)}):
     * sent without a key, it joins such a group; with a key, it runs {@code work} as any work does.
     * {@code answer} makes the reply of the work's result.
     */
    public <I, R> Uni<Response> execute(IdempotentRequest request, GroupCommit.Merged<I, R> merged, I input,
            Function<SqlClient, Uni<R>> work, Function<R, Reply> answer) {
        if (!request.hasKey()) {
            return writes.run(request.profileId(), merged, input, work, answer).map(this::toResponse);
        }
        return execute(request, false, client -> work.apply(client).map(answer));
    }

    /**
     * @param onRefused runs when the work refused the request (an {@link ApiException}), after its
     *        transaction has ended and released its connection
     */
    public Uni<Response> execute(IdempotentRequest request, boolean transactional,
            Function<SqlClient, Uni<Reply>> work, Function<ApiException, Uni<Void>> onRefused) {
        if (!request.hasKey()) {
            Uni<Reply> reply = transactional ? pool.withTransaction(work::apply)
                    : writes.run(request.profileId(), work);
            return reply.onFailure(ApiException.class).call(e -> onRefused.apply((ApiException) e))
                    .map(this::toResponse);
        }
        String hash = hash(request.request());
        Instant now = clock.instant();
        return pool.withTransaction(tx -> lock(tx, request)
                .flatMap(locked -> stored(tx, request, now))
                .flatMap(stored -> stored != null ? Uni.createFrom().item(replay(stored, hash))
                        : Uni.createFrom().deferred(() -> work.apply(tx))
                                .onFailure(ApiException.class).transform(e -> new Refused((ApiException) e))
                                .call(reply -> store(tx, request, hash, reply, now))
                                .map(this::toResponse)))
                .onFailure(Refused.class).recoverWithUni(failure -> refused(request, hash, now,
                        ((Refused) failure).refusal, onRefused));
    }

    /**
     * A refusal rolled its transaction back (and with it the lock), so it is stored afterwards
     * in a transaction of its own, unless a retry took the key in between: then that retry's
     * answer is the one kept.
     */
    private Uni<Response> refused(IdempotentRequest request, String hash, Instant now, ApiException e,
            Function<ApiException, Uni<Void>> onRefused) {
        Reply problem = Reply.refused(e, request.path());
        if (!storable(problem)) {
            // kept for no retry (a 429): answered as without a key, by the one mapper of refusals
            // (its Retry-After included)
            return onRefused.apply(e).onItem().transformToUni(done -> Uni.createFrom().<Response>failure(e));
        }
        Uni<Void> stored = pool.withTransaction(tx -> tryLock(tx, request)
                .flatMap(free -> free ? store(tx, request, hash, problem, now) : Uni.createFrom().voidItem()));
        return onRefused.apply(e).call(() -> stored).replaceWith(() -> toResponse(problem));
    }

    private Uni<Void> lock(SqlClient tx, IdempotentRequest request) {
        return tryLock(tx, request).map(free -> {
            if (!free) {
                throw inUse();
            }
            return null;
        });
    }

    private Uni<Boolean> tryLock(SqlClient tx, IdempotentRequest request) {
        return tx.preparedQuery(LOCK)
                .execute(Tuple.of(request.subject(), request.method(), keyPath(request), request.key()))
                .map(rows -> rows.iterator().next().getBoolean(0));
    }

    private Uni<Row> stored(SqlClient tx, IdempotentRequest request, Instant now) {
        return tx.preparedQuery(STORED)
                .execute(Tuple.of(request.subject(), request.method(), keyPath(request), request.key(),
                        Timestamps.utc(now)))
                .map(rows -> rows.rowCount() == 0 ? null : rows.iterator().next());
    }

    private Response replay(Row row, String hash) {
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
    }

    private Uni<Void> store(SqlClient tx, IdempotentRequest request, String hash, Reply reply, Instant now) {
        if (!storable(reply)) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery(STORE)
                .execute(Tuple.from(new Object[] { request.subject(), request.method(), keyPath(request), request.key(),
                        hash, reply.status(), write(reply.body()), Timestamps.utc(now), keyProfile(request) }))
                .replaceWithVoid();
    }

    /** The work's own refusal, told apart from the 409 and 422 of the key itself. */
    private static final class Refused extends RuntimeException {

        private final transient ApiException refusal;

        Refused(ApiException refusal) {
            super(refusal.getMessage(), refusal, false, false);
            this.refusal = refusal;
        }
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
        return sha256(write(request));
    }

    /**
     * The request's path as its key's row holds it: as sent, or, past {@link #KEY_PATH_MAX}
     * characters, its digest. The row's primary key must fit one index entry (about 2.7 kB); no
     * resource has a path that long, but a request may still name one (and is answered 404, which
     * is stored like any refusal).
     */
    static String keyPath(IdempotentRequest request) {
        String path = request.path();
        return path.length() <= KEY_PATH_MAX ? path : "sha256:" + sha256(path);
    }

    /** The profile the key's row is erased with: none for an id longer than any profile's (it names none). */
    static String keyProfile(IdempotentRequest request) {
        String profileId = request.profileId();
        return profileId == null || Ids.mayBeProfileId(profileId) ? profileId : null;
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
