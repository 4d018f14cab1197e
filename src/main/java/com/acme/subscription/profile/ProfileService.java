package com.acme.subscription.profile;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import com.acme.subscription.activity.ActivityLog;
import com.acme.subscription.activity.Origin;
import com.acme.subscription.common.error.ApiException;
import com.acme.subscription.common.error.NotFound;
import com.acme.subscription.common.error.PgErrors;
import com.acme.subscription.common.idempotency.IdempotencyService;
import com.acme.subscription.common.idempotency.IdempotentRequest;
import com.acme.subscription.common.idempotency.Reply;
import com.acme.subscription.common.security.Caller;
import com.acme.subscription.event.EventOutbox;
import com.acme.subscription.event.EventType;
import com.acme.subscription.grant.GrantRepository;
import com.acme.subscription.grant.GrantRepository.TierChange;
import com.acme.subscription.grant.GrantService;
import com.acme.subscription.settings.SettingKey;
import com.acme.subscription.settings.SettingRepository;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;

/** Registration, reads, admin changes and erasure of profiles (docs/profiles.md). */
@ApplicationScoped
public class ProfileService {

    /** The base tier of admin profiles. */
    static final String ADMIN_TIER = "selfhosted";

    private final ProfileRepository profiles;
    private final TrialRepository trials;
    private final TokenRepository tokens;
    private final GrantRepository grants;
    private final GrantService grantService;
    private final SettingRepository settings;
    private final ActivityLog activity;
    private final IdempotencyService idempotency;
    private final EventOutbox events;
    private final Pool pool;
    private final Clock clock;

    public ProfileService(ProfileRepository profiles, TrialRepository trials, TokenRepository tokens,
            GrantRepository grants, GrantService grantService, SettingRepository settings, ActivityLog activity,
            IdempotencyService idempotency, EventOutbox events, Pool pool, Clock clock) {
        this.profiles = profiles;
        this.trials = trials;
        this.tokens = tokens;
        this.grants = grants;
        this.grantService = grantService;
        this.settings = settings;
        this.activity = activity;
        this.idempotency = idempotency;
        this.events = events;
        this.pool = pool;
        this.clock = clock;
    }

    public Uni<Response> register(Caller caller, Registration registration, IdempotentRequest request) {
        // chosen before the work, so that the stored answer names the profile it created
        String id = registration.id() != null ? registration.id() : UUID.randomUUID().toString();
        return registrationSettings().flatMap(values -> idempotency.execute(request.about(id), true,
                tx -> register(tx, caller, registration, id, values)));
    }

    @WithSession
    Uni<Map<String, String>> registrationSettings() {
        return settings.values(SettingKey.SELF_REGISTRATION_ENABLED, SettingKey.POST_TRIAL_TIER,
                SettingKey.REQUIRE_EMAIL_VERIFICATION);
    }

    private Uni<Reply> register(SqlClient tx, Caller caller, Registration registration, String id,
            Map<String, String> values) {
        Instant now = clock.instant();
        boolean open = Boolean.parseBoolean(SettingKey.SELF_REGISTRATION_ENABLED.valueIn(values));
        if (registration.invitationToken() == null && !open && !caller.admin()) {
            throw ApiException.forbidden("registration_closed", "Registration needs an invitation.");
        }
        return invitedBy(tx, registration.invitationToken(), now)
                .flatMap(inviter -> register(tx, id, registration, values, inviter, now));
    }

    /** The inviting profile of a valid invitation token (which is used up), or null without a token. */
    private Uni<String> invitedBy(SqlClient tx, String invitationToken, Instant now) {
        if (invitationToken == null) {
            return Uni.createFrom().nullItem();
        }
        return tokens.use(tx, invitationToken, TokenRepository.INVITATION, now)
                .map(inviter -> inviter.orElseThrow(TokenRepository::invalid));
    }

    private Uni<Reply> register(SqlClient tx, String id, Registration registration, Map<String, String> values,
            String invitedBy, Instant now) {
        String postTrialTier = SettingKey.POST_TRIAL_TIER.valueIn(values);
        boolean verificationFirst = Boolean.parseBoolean(SettingKey.REQUIRE_EMAIL_VERIFICATION.valueIn(values));
        return profiles.insert(tx, id, registration.email(), stored(postTrialTier), invitedBy, now)
                .onFailure(e -> PgErrors.is(e, PgErrors.UNIQUE_VIOLATION, ProfileRepository.PRIMARY_KEY))
                .transform(e -> ApiException.conflict("profile_exists", "Profile '" + id + "' exists."))
                .onFailure(e -> PgErrors.is(e, PgErrors.UNIQUE_VIOLATION, ProfileRepository.EMAIL_KEY))
                .transform(e -> ApiException.conflict("email_taken", "Another profile has this e-mail address."))
                .map(ProfileView::from)
                .call(view -> activity.append(tx, id, ActivityLog.PROFILE_REGISTERED,
                        invitedBy == null ? Map.of("baseTier", view.tier())
                                : Map.of("baseTier", view.tier(), "invitedBy", invitedBy), now))
                .call(view -> events.append(tx, id, EventType.PROFILE_REGISTERED, view, now))
                // with verification required, the trial starts at verification instead
                .call(view -> verificationFirst ? Uni.createFrom().voidItem() : startTrial(tx, id, now))
                .flatMap(view -> view(tx, id))
                .call(view -> verificationFirst ? Uni.createFrom().voidItem()
                        : events.append(tx, id, EventType.PROFILE_ACTIVATED, view, now))
                // what its events say from now on: the first announcement only records the tier
                .call(view -> grants.announceTiers(tx, List.of(id), now, TierChange.BASE_TIER))
                .map(Reply::created);
    }

    /** The profile, its trialEndsAt as the check sees the trial: moved by a Wellpass pause that has ended. */
    public Uni<ProfileView> get(String id) {
        return profiles.readAt(pool, id, clock.instant())
                .map(found -> ProfileView.from(found.orElseThrow(() -> NotFound.profile(id))));
    }

    /** The profile with this e-mail address, compared as registration compares them (trimmed, any case). */
    @WithSession
    public Uni<Optional<ProfileView>> findByEmail(String email) {
        return profiles.find("lower(email) = lower(?1)", email.strip()).firstResult()
                .map(found -> Optional.ofNullable(found).map(ProfileView::from));
    }

    /** 404 unless the profile exists. */
    @WithSession
    public Uni<Void> requireExists(String id) {
        return profiles.count("id", id).map(count -> {
            if (count == 0) {
                throw NotFound.profile(id);
            }
            return null;
        });
    }

    /** An admin's change; {@code adminSubject} is who made it, for the activity log. */
    public Uni<ProfileView> patch(String id, ProfilePatch patch, String adminSubject) {
        return pool.withTransaction(tx -> lock(tx, id).flatMap(current -> {
            Instant now = clock.instant(); // under the lock (GrantService.lockAt)
            String role = patch.role() != null ? patch.role() : current.role;
            String tier = current.tier;
            if (patch.tier() != null) {
                tier = stored(patch.tier());
            } else if ("admin".equals(role) && !"admin".equals(current.role)) {
                tier = ADMIN_TIER;
            }
            boolean verified = patch.emailVerified() != null ? patch.emailVerified() : current.emailVerified;
            String newTier = tier;
            return profiles.update(tx, id, newTier, role, verified, now)
                    .onFailure(e -> PgErrors.is(e, PgErrors.FOREIGN_KEY_VIOLATION, ProfileRepository.TIER_FK))
                    .transform(e -> NotFound.tier(newTier))
                    .call(updated -> Objects.equals(current.tier, updated.tier) ? Uni.createFrom().voidItem()
                            : activity.append(tx, id, ActivityLog.TIER_CHANGED,
                                    Map.of("from", shown(current.tier), "to", shown(updated.tier), "by", adminSubject), now)
                                    .call(() -> grants.announceTiers(tx, List.of(id), now, TierChange.BASE_TIER)))
                    .call(updated -> verified && !current.emailVerified ? activate(tx, id, now)
                            : Uni.createFrom().voidItem())
                    .flatMap(updated -> view(tx, id));
        }));
    }

    /** Verification by token: sets emailVerified and activates (a second verification changes nothing). */
    Uni<ProfileView> verifyEmail(SqlClient tx, String id) {
        return lock(tx, id).flatMap(current -> {
            Instant now = clock.instant(); // under the lock (GrantService.lockAt)
            return current.emailVerified ? Uni.createFrom().item(ProfileView.from(current))
                    : profiles.update(tx, id, current.tier, current.role, true, now)
                            .call(updated -> activate(tx, id, now))
                            .flatMap(updated -> view(tx, id));
        });
    }

    /**
     * Locks the profile for the rest of the transaction (404 if there is none) and reads it. The
     * lock is the one that serialises every change to a profile and its grants.
     */
    Uni<Profile> lock(SqlClient tx, String id) {
        return grantService.lock(tx, id).flatMap(locked -> profiles.read(tx, id)).map(Optional::orElseThrow);
    }

    /** Activation: the e-mail address is verified, and the trial starts now if it never did. */
    private Uni<Void> activate(SqlClient tx, String id, Instant now) {
        return activity.append(tx, id, ActivityLog.EMAIL_VERIFIED, Map.of(), now)
                .call(() -> startTrial(tx, id, now))
                .call(() -> view(tx, id).flatMap(view -> events.append(tx, id, EventType.PROFILE_ACTIVATED, view, now)));
    }

    private Uni<Void> startTrial(SqlClient tx, String id, Instant now) {
        Origin origin = activity.origin();
        return grants.settle(tx, id, now, origin).flatMap(settled -> trials.due(tx, id, now)).flatMap(due -> due.isEmpty()
                ? Uni.createFrom().voidItem()
                : grants.create(tx, due.get(), now, origin)
                        .call(trial -> profiles.setTrialEnd(tx, id, trial.validUntil(), now))
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

    private Uni<ProfileView> view(SqlClient tx, String id) {
        return profiles.read(tx, id).map(found -> ProfileView.from(found.orElseThrow()));
    }

    /** The stored base tier of an API tier: none for "disabled". */
    private static String stored(String tier) {
        return Profile.DISABLED.equals(tier) ? null : tier;
    }

    /** The API tier of a stored base tier. */
    private static String shown(String tier) {
        return tier == null ? Profile.DISABLED : tier;
    }
}
