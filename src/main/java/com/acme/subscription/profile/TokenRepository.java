package com.acme.subscription.profile;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.acme.subscription.common.error.ApiException;
import com.acme.subscription.common.time.Timestamps;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Verification and invitation tokens: 256 random bits, single-use, expiring, stored only
 * as SHA-256 hashes (a leaked table holds no usable token).
 */
@ApplicationScoped
public class TokenRepository {

    public static final String VERIFICATION = "verification";
    public static final String INVITATION = "invitation";

    /** A new token, stored as its hash. */
    static final String ISSUE = """
            INSERT INTO profile_tokens (token_hash, kind, profile_id, expires_at, created) VALUES ($1, $2, $3, $4, $5)
            """;

    /** Uses a token: only while of this kind, unused and unexpired (conditional, so two uses cannot both succeed). */
    static final String USE = """
            UPDATE profile_tokens SET used_at = $3
            WHERE token_hash = $1 AND kind = $2 AND used_at IS NULL AND expires_at > $3
            RETURNING profile_id
            """;

    /** Unused, unexpired tokens of a kind that a profile holds. */
    static final String OPEN = """
            SELECT count(*) AS open FROM profile_tokens
            WHERE profile_id = $1 AND kind = $2 AND used_at IS NULL AND expires_at > $3
            """;

    /** Ends the profile's earlier unused tokens of a kind now. */
    static final String RETIRE = """
            UPDATE profile_tokens SET expires_at = least(expires_at, $3)
            WHERE profile_id = $1 AND kind = $2 AND used_at IS NULL
            """;

    /** Per bean, created at run time: a static one would be seeded once, into a native image's heap. */
    private final SecureRandom random = new SecureRandom();

    public Uni<IssuedToken> issue(SqlClient tx, String profileId, String kind, Duration ttl, Instant now) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant expiresAt = now.plus(ttl);
        return tx.preparedQuery(ISSUE)
                .execute(Tuple.of(hash(token), kind, profileId, Timestamps.utc(expiresAt), Timestamps.utc(now)))
                .replaceWith(new IssuedToken(token, expiresAt));
    }

    /** Uses the token if it is of this kind, unused and unexpired; answers the profile it belongs to. */
    public Uni<Optional<String>> use(SqlClient tx, String token, String kind, Instant now) {
        return tx.preparedQuery(USE)
                .execute(Tuple.of(hash(token), kind, Timestamps.utc(now)))
                .map(rows -> rows.rowCount() == 0 ? Optional.empty()
                        : Optional.of(rows.iterator().next().getString("profile_id")));
    }

    /** Unused, unexpired tokens of this kind that the profile holds. */
    public Uni<Long> open(SqlClient tx, String profileId, String kind, Instant now) {
        return tx.preparedQuery(OPEN)
                .execute(Tuple.of(profileId, kind, Timestamps.utc(now)))
                .map(rows -> rows.iterator().next().getLong("open"));
    }

    /** Retires the profile's earlier verification tokens: only the newest one verifies. */
    public Uni<Void> retire(SqlClient tx, String profileId, String kind, Instant now) {
        return tx.preparedQuery(RETIRE)
                .execute(Tuple.of(profileId, kind, Timestamps.utc(now)))
                .replaceWithVoid();
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The answer to a token that is unknown, used or expired. */
    static ApiException invalid() {
        return new ApiException(410, "token_invalid", "The token is unknown, used or expired.");
    }
}
