package com.acme.subscription.profile;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import com.acme.subscription.activity.ActivityLog;
import com.acme.subscription.common.error.ApiException;
import com.acme.subscription.common.error.NotFound;
import com.acme.subscription.common.error.PgErrors;
import com.acme.subscription.common.idempotency.IdempotencyService;
import com.acme.subscription.common.idempotency.IdempotentRequest;
import com.acme.subscription.common.idempotency.Reply;
import com.acme.subscription.common.security.Caller;
import com.acme.subscription.grant.GrantRepository;
import com.acme.subscription.grant.GrantService;
import com.acme.subscription.settings.SettingKey;
import com.acme.subscription.settings.SettingRepository;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;

@ApplicationScoped
public class ProfileService {

    /** The base tier of admin profiles. */
    static final String ADMIN_TIER = "selfhosted";

    private final ProfileRepository profiles;
    private final TrialRepository trials;
    private final TokenRepository tokens;
    private final GrantRepository grants;
    private final SettingRepository settings;
    private final ActivityLog activity;
    private final IdempotencyService idempotency;
    private final Pool pool;
    private final Clock clock;

    public ProfileService(ProfileRepository profiles, TrialRepository trials, TokenRepository tokens,
            GrantRepository grants,
            SettingRepository settings, ActivityLog activity, IdempotencyService idempotency, Pool pool, Clock clock) {
        this.profiles = profiles;
        this.trials = trials;
        this.tokens = tokens;
        this.grants = grants;
        this.settings = settings;
        this.activity = activity;
        this.idempotency = idempotency;
        this.pool = pool;
        this.clock = clock;
    }

    public Uni<Response> register(Caller caller, Registration registration, IdempotentRequest request) {
        return idempotency.execute(request, true, tx -> register(tx, caller, registration));
    }

    private Uni<Reply> register(SqlClient tx, Caller caller, Registration registration) {
        Instant now = clock.instant();
        return settings.values(tx, SettingKey.SELF_REGISTRATION_ENABLED, SettingKey.POST_TRIAL_TIER,
                SettingKey.REQUIRE_EMAIL_VERIFICATION).flatMap(values -> {
                    boolean open = "true".equals(values.get(SettingKey.SELF_REGISTRATION_ENABLED));
                    if (registration.invitationToken() == null && !open && !caller.admin()) {
                        throw ApiException.forbidden("registration_closed", "Registration needs an invitation.");
                    }
                    return invitedBy(tx, registration.invitationToken(), now)
                            .flatMap(inviter -> register(tx, registration, values, inviter, now));
                });
    }

    /** The inviting profile of a valid invitation token (which is used up), or null without a token. */
    private Uni<String> invitedBy(SqlClient tx, String invitationToken, Instant now) {
        if (invitationToken == null) {
            return Uni.createFrom().nullItem();
        }
        return tokens.use(tx, invitationToken, TokenRepository.INVITATION, now)
                .map(inviter -> inviter.orElseThrow(AccountService::tokenInvalid));
    }

    private Uni<Reply> register(SqlClient tx, Registration registration, Map<SettingKey, String> values,
            String invitedBy, Instant now) {
        String id = registration.id() != null ? registration.id() : UUID.randomUUID().toString();
        String postTrialTier = values.getOrDefault(SettingKey.POST_TRIAL_TIER, "free");
        String baseTier = "disabled".equals(postTrialTier) ? null : postTrialTier;
        boolean verificationFirst = !"false".equals(values.get(SettingKey.REQUIRE_EMAIL_VERIFICATION));
        return profiles.insert(tx, id, registration.email(), baseTier, invitedBy, now)
                .onFailure(e -> PgErrors.is(e, PgErrors.UNIQUE_VIOLATION, ProfileRepository.PRIMARY_KEY))
                .transform(e -> ApiException.conflict("profile_exists", "Profile '" + id + "' exists."))
                .onFailure(e -> PgErrors.is(e, PgErrors.UNIQUE_VIOLATION, ProfileRepository.EMAIL_KEY))
                .transform(e -> ApiException.conflict("email_taken",
                        "Another profile has this e-mail address."))
                .call(view -> activity.append(tx, id, ActivityLog.PROFILE_REGISTERED,
                        invitedBy == null ? Map.of("baseTier", view.tier())
                                : Map.of("baseTier", view.tier(), "invitedBy", invitedBy), now))
                // with verification required, the trial starts at verification instead
                .call(view -> verificationFirst ? Uni.createFrom().voidItem() : startTrial(tx, id, now))
                .flatMap(view -> profiles.read(tx, id))
                .map(Reply::created);
    }

    @WithSession
    public Uni<ProfileView> get(String id) {
        return profiles.findById(id).onItem().ifNull().failWith(() -> NotFound.profile(id)).map(ProfileView::from);
    }

    public Uni<ProfileView> patch(String id, ProfilePatch patch) {
        Instant now = clock.instant();
        return pool.withTransaction(tx -> profiles.lock(tx, id).flatMap(found -> {
            ProfileView current = found.orElseThrow(() -> NotFound.profile(id));
            String role = patch.role() != null ? patch.role() : current.role();
            String tier = current.tier();
            if (patch.tier() != null) {
                tier = patch.tier();
            } else if ("admin".equals(role) && !"admin".equals(current.role())) {
                tier = ADMIN_TIER;
            }
            boolean verified = patch.emailVerified() != null ? patch.emailVerified() : current.emailVerified();
            String newTier = tier;
            return profiles.update(tx, id, "disabled".equals(newTier) ? null : newTier, role, verified, now)
                    .onFailure(e -> PgErrors.is(e, PgErrors.FOREIGN_KEY_VIOLATION, ProfileRepository.TIER_FK))
                    .transform(e -> NotFound.tier(newTier))
                    .call(updated -> Objects.equals(current.tier(), updated.tier()) ? Uni.createFrom().voidItem()
                            : activity.append(tx, id, ActivityLog.TIER_CHANGED,
                                    Map.of("from", current.tier(), "to", updated.tier(), "by", "admin"), now))
                    .call(updated -> verified && !current.emailVerified() ? verify(tx, id, now)
                            : Uni.createFrom().voidItem())
                    .flatMap(updated -> profiles.read(tx, id));
        }));
    }

    /** Verification by token: sets emailVerified and activates (a second verification changes nothing). */
    Uni<ProfileView> verifyEmail(SqlClient tx, String id, Instant now) {
        return profiles.lock(tx, id).flatMap(found -> {
            ProfileView current = found.orElseThrow(() -> NotFound.profile(id));
            if (current.emailVerified()) {
                return Uni.createFrom().item(current);
            }
            String tier = "disabled".equals(current.tier()) ? null : current.tier();
            return profiles.update(tx, id, tier, current.role(), true, now)
                    .call(updated -> verify(tx, id, now))
                    .flatMap(updated -> profiles.read(tx, id));
        });
    }

    /** Activation: the e-mail address is verified, and the trial starts now if it never did. */
    private Uni<Void> verify(SqlClient tx, String id, Instant now) {
        return activity.append(tx, id, ActivityLog.EMAIL_VERIFIED, Map.of(), now)
                .call(() -> startTrial(tx, id, now));
    }

    private Uni<Void> startTrial(SqlClient tx, String id, Instant now) {
        return grants.settle(tx, id, now).flatMap(settled -> trials.due(tx, id, now)).flatMap(due -> due.isEmpty()
                ? Uni.createFrom().voidItem()
                : grants.create(tx, due.get(), now)
                        .call(trial -> trials.setTrialEnd(tx, id, trial.validUntil(), now))
                        .call(trial -> activity.append(tx, id, ActivityLog.GRANT_CREATED, GrantService.details(trial),
                                now))
                        .replaceWithVoid());
    }

    public Uni<Void> erase(String id) {
        return profiles.erase(id, clock.instant()).map(erased -> {
            if (!erased) {
                throw NotFound.profile(id);
            }
            return null;
        });
    }
}
