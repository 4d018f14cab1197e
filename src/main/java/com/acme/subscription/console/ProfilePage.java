package com.acme.subscription.console;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.annotation.security.PermitAll;
import jakarta.validation.Validator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;

import com.acme.subscription.activity.ActivityFilter;
import com.acme.subscription.activity.ActivityService;
import com.acme.subscription.billing.BillingAccountService;
import com.acme.subscription.billing.BillingView;
import com.acme.subscription.catalog.FeatureService;
import com.acme.subscription.catalog.TierService;
import com.acme.subscription.common.Page;
import com.acme.subscription.common.error.ApiException;
import com.acme.subscription.common.idempotency.IdempotentRequest;
import com.acme.subscription.common.security.Caller;
import com.acme.subscription.coupon.RedemptionInput;
import com.acme.subscription.coupon.RedemptionService;
import com.acme.subscription.entitlement.EntitlementService;
import com.acme.subscription.grant.GrantInput;
import com.acme.subscription.grant.GrantService;
import com.acme.subscription.override.OverrideInput;
import com.acme.subscription.override.OverrideService;
import com.acme.subscription.profile.ProfileService;
import com.acme.subscription.profile.ProfileView;
import com.acme.subscription.usage.UsageCount;
import com.acme.subscription.usage.UsageService;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;

/**
 * A profile as support sees it: its effective tier and why, every feature with its usage, its grants
 * on a timeline with the Wellpass pauses, overrides, billing and activity; and the admin's actions on
 * it. Every action goes through the service the API uses, with the API's validation, so it is refused,
 * recorded and announced exactly as the same API call would be, under the admin's subject.
 */
@ConsoleEndpoint
@Path("/console/profiles")
@PermitAll // admitted by ConsoleAccess: admins only, refusals as pages
public class ProfilePage {

    private static final int ACTIVITY_SHOWN = 25;

    private final ProfileService profiles;
    private final EntitlementService entitlements;
    private final GrantService grants;
    private final OverrideService overrides;
    private final UsageService usage;
    private final RedemptionService redemptions;
    private final ActivityService activity;
    private final BillingAccountService billing;
    private final TierService tiers;
    private final FeatureService features;
    private final Validator validator;
    private final Clock clock;
    private final SignedIn signedIn;
    private final Template search;
    private final Template profile;
    private final CsrfToken csrf;

    public ProfilePage(CsrfToken csrf, ProfileService profiles, EntitlementService entitlements, GrantService grants,
            OverrideService overrides, UsageService usage, RedemptionService redemptions, ActivityService activity,
            BillingAccountService billing, TierService tiers, FeatureService features, Validator validator,
            Clock clock, SignedIn signedIn, @Location("console/profiles.html") Template search,
            @Location("console/profile.html") Template profile) {
        this.csrf = csrf;
        this.profiles = profiles;
        this.entitlements = entitlements;
        this.grants = grants;
        this.overrides = overrides;
        this.usage = usage;
        this.redemptions = redemptions;
        this.activity = activity;
        this.billing = billing;
        this.tiers = tiers;
        this.features = features;
        this.validator = validator;
        this.clock = clock;
        this.signedIn = signedIn;
        this.search = search;
        this.profile = profile;
    }

    /** The search form; with {@code q} (an id or an e-mail address) the profile found, with {@code id} that profile. */
    @GET
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> show(@QueryParam("q") String query, @QueryParam("id") String id,
            @QueryParam("done") String done) {
        if (id != null && !id.isBlank()) {
            return page(id, Notices.sentence(done), null, Response.Status.OK);
        }
        if (query == null || query.isBlank()) {
            return Uni.createFrom().item(searchPage(null, null));
        }
        String wanted = query.strip();
        Uni<Optional<ProfileView>> found = wanted.contains("@") ? profiles.findByEmail(wanted)
                : profiles.get(wanted).map(Optional::of).onFailure(ApiException.class).recoverWithItem(Optional.empty());
        return found.map(profile -> profile
                .map(p -> Response.seeOther(profileUri(p.id(), null)).build())
                .orElseGet(() -> searchPage(wanted, "No profile has the id or e-mail address \u201c" + wanted + "\u201d.")));
    }

    private Response searchPage(String query, String error) {
        TemplateInstance page = search.data("shell", signedIn.shell("profiles", null, error)).data("query", query);
        return Response.status(error == null ? Response.Status.OK : Response.Status.NOT_FOUND).entity(page).build();
    }

    @POST
    @Path("/{id}/grants")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> grant(@FormParam(CsrfToken.NAME) String csrfToken,
            @PathParam("id") String id, @FormParam("tierId") String tierId,
            @FormParam("days") String days, @FormParam("reason") String reason, @FormParam("key") String key) {
        csrf.verify(csrfToken);
        return act(id, "grant_created", () -> {
            Caller admin = signedIn.caller();
            GrantInput input = Forms.valid(validator,
                    new GrantInput(Forms.optionalText("tierId", tierId), Forms.number("days", days), null,
                            Forms.optionalText("reason", reason)));
            return grants.create(admin, id, input, new IdempotentRequest(Forms.required("key", key), admin.subject(), "POST",
                    "/console/profiles/" + id + "/grants", input));
        });
    }

    @POST
    @Path("/{id}/grants/{grantId}/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> revoke(@FormParam(CsrfToken.NAME) String csrfToken,
            @PathParam("id") String id, @PathParam("grantId") String grantId) {
        csrf.verify(csrfToken);
        return act(id, "grant_revoked", () -> grants.revoke(id, grantId, signedIn.caller().subject()));
    }

    @POST
    @Path("/{id}/overrides")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> override(@FormParam(CsrfToken.NAME) String csrfToken,
            @PathParam("id") String id, @FormParam("featureId") String featureId,
            @FormParam("limit") String limit, @FormParam("reason") String reason) {
        csrf.verify(csrfToken);
        return act(id, "override_set", () -> {
            OverrideInput input = new OverrideInput();
            input.setLimit(Forms.optionalNumber("limit", limit));
            input.reason = Forms.optionalText("reason", reason);
            return overrides.set(id, Forms.required("featureId", featureId).strip(), Forms.valid(validator, input),
                    signedIn.caller().subject());
        });
    }

    @POST
    @Path("/{id}/overrides/{featureId}/remove")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> removeOverride(@FormParam(CsrfToken.NAME) String csrfToken,
            @PathParam("id") String id, @PathParam("featureId") String featureId) {
        csrf.verify(csrfToken);
        return act(id, "override_removed", () -> overrides.remove(id, featureId, signedIn.caller().subject()));
    }

    @POST
    @Path("/{id}/usage/{featureId}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> reconcile(@FormParam(CsrfToken.NAME) String csrfToken,
            @PathParam("id") String id, @PathParam("featureId") String featureId,
            @FormParam("used") String used) {
        csrf.verify(csrfToken);
        return act(id, "usage_reconciled", () -> {
            Integer count = Forms.number("used", used);
            Forms.valid(validator, new UsageCount(count));
            return usage.reconcile(id, featureId, count);
        });
    }

    @POST
    @Path("/{id}/redemptions")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> redeem(@FormParam(CsrfToken.NAME) String csrfToken,
            @PathParam("id") String id, @FormParam("code") String code, @FormParam("key") String key) {
        csrf.verify(csrfToken);
        return act(id, "coupon_redeemed", () -> {
            String idempotencyKey = Forms.required("key", key);
            RedemptionInput input = Forms.valid(validator, new RedemptionInput(code)).normalized();
            return redemptions.redeem(id, input, new IdempotentRequest(idempotencyKey, signedIn.caller().subject(), "POST",
                    "/console/profiles/" + id + "/redemptions", input));
        });
    }

    /**
     * Runs an action and answers as a form should: on success back to the profile with a notice (so a
     * reload does not post again); on a refusal the profile again, with the refusal said in words.
     */
    private Uni<Response> act(String id, String done, Supplier<Uni<?>> action) {
        return Uni.createFrom().deferred(action)
                .map(answer -> {
                    ApiException refusal = ConsoleMessages.refusal(answer);
                    if (refusal != null) {
                        throw refusal;
                    }
                    return Response.seeOther(profileUri(id, done)).build();
                })
                .onFailure(ConsoleMessages::isRefusal)
                .recoverWithUni(failure -> page(id, null, ConsoleMessages.of(failure), Response.Status.BAD_REQUEST))
                .onFailure().recoverWithUni(failure -> page(id, null, ConsoleMessages.of(failure),
                        Response.Status.INTERNAL_SERVER_ERROR));
    }

    private static URI profileUri(String id, String done) {
        UriBuilder uri = UriBuilder.fromPath("/console/profiles").queryParam("id", id);
        return (done == null ? uri : uri.queryParam("done", done)).build();
    }

    /** The profile page, read piece by piece through the services; a missing profile is the search page. */
    private Uni<Response> page(String id, String notice, String error, Response.Status status) {
        Instant now = clock.instant();
        // one idempotency key per form: each creates one thing however often it is sent
        TemplateInstance page = profile.data("shell", signedIn.shell("profiles", notice, error))
                .data("grantKey", Forms.newKey()).data("redeemKey", Forms.newKey());
        return profiles.get(id).invoke(view -> page.data("profile", view))
                .chain(() -> entitlements.all(id))
                .invoke(all -> page.data("why", Why.of(all)).data("usage", FeatureRow.of(all.features())))
                .chain(() -> grants.list(id, true)).invoke(list -> page.data("timeline", Timeline.of(list, now)))
                .chain(() -> overrides.list(id)).invoke(list -> page.data("overrides", list))
                .chain(() -> activity.page(new ActivityFilter(id, null, null, null),
                        new Page.Request(ACTIVITY_SHOWN, Long.MAX_VALUE)))
                .invoke(recent -> page.data("activity", recent.items()))
                // billing only where Stripe is configured: elsewhere the section is left out
                .chain(() -> billing.get(id).map(Optional::of).onFailure(ConsoleMessages::isRefusal)
                        .recoverWithItem(Optional.<BillingView>empty()))
                .invoke(account -> page.data("billing", account.orElse(null)))
                .chain(tiers::list).invoke(list -> page.data("tiers", list))
                .chain(features::list).invoke(list -> page.data("featureChoices", list.stream().filter(f -> f.active).toList()))
                .map(loaded -> Response.status(status).entity(page).build())
                .onFailure(ConsoleMessages::isRefusal)
                .recoverWithItem(failure -> searchPage(id, ConsoleMessages.of(failure)));
    }
}
