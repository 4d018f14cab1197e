package com.acme.subscription.profile;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.acme.subscription.activity.ActivityLog;
import com.acme.subscription.common.config.SubscriptionsConfig;
import com.acme.subscription.common.error.ApiException;
import com.acme.subscription.common.error.NotFound;
import com.acme.subscription.common.error.PgErrors;
import com.acme.subscription.entitlement.EntitlementRepository;
import com.acme.subscription.settings.SettingKey;
import com.acme.subscription.settings.SettingRepository;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/** E-mail verification, invitations and logins (docs/profiles.md). */
@ApplicationScoped
public class AccountService {

    /** At most this many unused invitations per profile at a time. */
    static final int OPEN_INVITATIONS = 20;

    private final ProfileService profileService;
    private final ProfileRepository profiles;
    private final TokenRepository tokens;
    private final SettingRepository settings;
    private final EntitlementRepository entitlements;
    private final ActivityLog activity;
    private final Pool pool;
    private final Clock clock;
    private final Duration verificationTtl;

    public AccountService(ProfileService profileService, ProfileRepository profiles, TokenRepository tokens,
            SettingRepository settings, EntitlementRepository entitlements, ActivityLog activity, Pool pool,
            Clock clock, SubscriptionsConfig config) {
        this.profileService = profileService;
        this.profiles = profiles;
        this.tokens = tokens;
        this.settings = settings;
        this.entitlements = entitlements;
        this.activity = activity;
        this.pool = pool;
        this.clock = clock;
        this.verificationTtl = config.emailVerification().ttl();
    }

    /** A new verification token (earlier ones stop working); 409 when the address is verified already. */
    public Uni<IssuedToken> requestVerification(String profileId) {
        Instant now = clock.instant();
        return pool.withTransaction(tx -> profileService.lock(tx, profileId).flatMap(profile -> {
            if (profile.emailVerified) {
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
                        ? Uni.createFrom().failure(TokenRepository.invalid())
                        : profileService.verifyEmail(tx, profileId.get())));
    }

    /** An invitation token of an activated profile with access, at most 20 unused at a time. */
    public Uni<IssuedToken> invite(String profileId) {
        Instant now = clock.instant();
        return invitationTtl().flatMap(ttl -> pool.withTransaction(tx -> profileService.lock(tx, profileId)
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
                    return tokens.issue(tx, profileId, TokenRepository.INVITATION, ttl, now);
                })
                .call(issued -> activity.append(tx, profileId, ActivityLog.INVITATION_CREATED,
                        Map.of("expiresAt", issued.expiresAt().toString()), now))));
    }

    @WithSession
    Uni<Duration> invitationTtl() {
        return settings.values(SettingKey.INVITATION_TTL_DAYS)
                .map(values -> Duration.ofDays(Long.parseLong(SettingKey.INVITATION_TTL_DAYS.valueIn(values))));
    }

    /** Records a login: user_stats and the activity log. */
    public Uni<Void> recordLogin(String profileId) {
        Instant now = clock.instant();
        return pool.withTransaction(tx -> profiles.recordLogin(tx, profileId, now).flatMap(found -> {
            if (!found) {
                throw NotFound.profile(profileId);
            }
            return activity.append(tx, profileId, ActivityLog.LOGIN, Map.of(), now);
        })).onFailure(e -> PgErrors.is(e, PgErrors.FOREIGN_KEY_VIOLATION))
                // the profile was found and then erased before the rows that refer to it were written
                .transform(e -> NotFound.profile(profileId));
    }
}
