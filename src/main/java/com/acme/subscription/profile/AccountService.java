package com.acme.subscription.profile;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.acme.subscription.common.error.NotFound;
import com.acme.subscription.activity.ActivityLog;
import com.acme.subscription.common.error.ApiException;
import com.acme.subscription.common.time.Timestamps;
import com.acme.subscription.entitlement.EntitlementRepository;
import com.acme.subscription.settings.SettingKey;
import com.acme.subscription.settings.SettingRepository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** E-mail verification, invitations and logins (docs/profiles.md). */
@ApplicationScoped
public class AccountService {

    /** At most this many unused invitations per profile at a time. */
    static final int OPEN_INVITATIONS = 20;

    private final ProfileRepository profiles;
    private final ProfileService profileService;
    private final TokenRepository tokens;
    private final SettingRepository settings;
    private final EntitlementRepository entitlements;
    private final ActivityLog activity;
    private final Pool pool;
    private final Clock clock;
    private final Duration verificationTtl;

    public AccountService(ProfileRepository profiles, ProfileService profileService, TokenRepository tokens,
            SettingRepository settings, EntitlementRepository entitlements, ActivityLog activity, Pool pool,
            Clock clock,
            @ConfigProperty(name = "subscriptions.email-verification.ttl", defaultValue = "P2D") Duration verificationTtl) {
        this.profiles = profiles;
        this.profileService = profileService;
        this.tokens = tokens;
        this.settings = settings;
        this.entitlements = entitlements;
        this.activity = activity;
        this.pool = pool;
        this.clock = clock;
        this.verificationTtl = verificationTtl;
    }

    /** A new verification token (earlier ones stop working); 409 when the address is verified already. */
    public Uni<IssuedToken> requestVerification(String profileId) {
        Instant now = clock.instant();
        return pool.withTransaction(tx -> profiles.lock(tx, profileId).flatMap(found -> {
            ProfileView profile = found.orElseThrow(() -> NotFound.profile(profileId));
            if (profile.emailVerified()) {
                throw ApiException.conflict("email_already_verified", "The e-mail address is verified already.");
            }
            return tokens.retire(tx, profileId, TokenRepository.VERIFICATION, now)
                    .flatMap(retired -> tokens.issue(tx, profileId, TokenRepository.VERIFICATION, verificationTtl, now));
        }));
    }

    /** Uses a verification token: the profile is activated and its trial starts now. */
    public Uni<ProfileView> verify(String token) {
        Instant now = clock.instant();
        return pool.withTransaction(tx -> tokens.use(tx, token, TokenRepository.VERIFICATION, now)
                .flatMap(profileId -> profileId.isEmpty()
                        ? Uni.createFrom().failure(tokenInvalid())
                        : profileService.verifyEmail(tx, profileId.get(), now)));
    }

    /** An invitation token of an activated profile with access, at most 20 unused at a time. */
    public Uni<IssuedToken> invite(String profileId) {
        Instant now = clock.instant();
        return pool.withTransaction(tx -> profiles.lock(tx, profileId)
                .map(found -> found.orElseThrow(() -> NotFound.profile(profileId)))
                .flatMap(profile -> entitlements.access(tx, profileId, now))
                .flatMap(access -> {
                    if (!access.activated() || !access.hasAccess()) {
                        throw ApiException.forbidden("Only an activated profile with access may invite.");
                    }
                    return tokens.open(tx, profileId, TokenRepository.INVITATION, now);
                })
                .flatMap(open -> {
                    if (open >= OPEN_INVITATIONS) {
                        throw ApiException.conflict("too_many_invitations",
                                "The profile has " + OPEN_INVITATIONS + " unused invitations.");
                    }
                    return settings.values(tx, SettingKey.INVITATION_TTL_DAYS);
                })
                .flatMap(values -> tokens.issue(tx, profileId, TokenRepository.INVITATION,
                        Duration.ofDays(Long.parseLong(values.getOrDefault(SettingKey.INVITATION_TTL_DAYS, "7"))), now))
                .call(issued -> activity.append(tx, profileId, ActivityLog.INVITATION_CREATED,
                        Map.of("expiresAt", issued.expiresAt().toString()), now)));
    }

    /** Records a login: user_stats and the activity log. */
    public Uni<Void> recordLogin(String profileId) {
        Instant now = clock.instant();
        return pool.withTransaction(tx -> tx.preparedQuery("""
                INSERT INTO user_stats AS s (profile_id, last_login, login_count, created, updated)
                SELECT id, $2, 1, $2, $2 FROM profiles WHERE id = $1
                ON CONFLICT (profile_id) DO UPDATE SET last_login = EXCLUDED.last_login,
                    login_count = LEAST(s.login_count::BIGINT + 1, 2147483647), updated = EXCLUDED.updated
                RETURNING 1
                """)
                .execute(Tuple.of(profileId, Timestamps.utc(now)))
                .flatMap(rows -> {
                    if (rows.rowCount() == 0) {
                        throw NotFound.profile(profileId);
                    }
                    return activity.append(tx, profileId, ActivityLog.LOGIN, Map.of(), now);
                }));
    }

    static ApiException tokenInvalid() {
        return new ApiException(410, "token_invalid", "The token is unknown, used or expired.");
    }
}
