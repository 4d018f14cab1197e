package com.acme.subscription.console;

import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
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

import com.acme.subscription.catalog.TierService;
import com.acme.subscription.common.Page;
import com.acme.subscription.common.error.ApiException;
import com.acme.subscription.coupon.CouponInput;
import com.acme.subscription.coupon.CouponService;
import com.acme.subscription.coupon.CouponType;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;

/**
 * Coupons: the list with its filters, one coupon's redemptions, creating and deactivating. The page is
 * {@code GET /console/coupons} only (the CSRF cookie is made on that exact path), so the filters and
 * the selected coupon are query parameters. Actions go through {@link CouponService} with the API's
 * validation, under the admin's subject, exactly as {@code CouponResource} calls it.
 */
@ConsoleEndpoint
@Path("/console/coupons")
@PermitAll // admitted by ConsoleAccess: admins only, refusals as pages
public class CouponsPage {

    /** The last day whose end the API takes: an instant lies in the years 0000 to 9999. */
    private static final LocalDate LAST_DAY = LocalDate.of(9999, 12, 30);

    static final int SHOWN = 100;
    static final int REDEMPTIONS_SHOWN = 50;

    /** What the create form holds: blank on a fresh page, what was entered when the service refused it. */
    public record CouponForm(String code, String type, String tierId, String days, String max, String until,
            String description) {

        static final CouponForm EMPTY = new CouponForm("", "period", "", "30", "", "", "");
    }

    /** The filters as the form shows them: "" is any. */
    public record Filter(String active, String type) {
    }

    private final CouponService coupons;
    private final TierService tiers;
    private final Validator validator;
    private final SignedIn signedIn;
    private final Template page;
    private final CsrfToken csrf;

    public CouponsPage(CsrfToken csrf, CouponService coupons, TierService tiers, Validator validator, SignedIn signedIn,
            @Location("console/coupons.html") Template page) {
        this.csrf = csrf;
        this.coupons = coupons;
        this.tiers = tiers;
        this.validator = validator;
        this.signedIn = signedIn;
        this.page = page;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> show(@QueryParam("active") String active, @QueryParam("type") String type,
            @QueryParam("selected") String selected, @QueryParam("done") String done) {
        return render(new Filter(active == null ? "" : active, type == null ? "" : type), Forms.blankToNull(selected),
                CouponForm.EMPTY, Notices.sentence(done), null, Response.Status.OK);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> create(@FormParam(CsrfToken.NAME) String csrfToken,
            @FormParam("code") String code, @FormParam("type") String type,
            @FormParam("tierId") String tierId, @FormParam("durationDays") String days,
            @FormParam("maxRedemptions") String max, @FormParam("validUntil") String until,
            @FormParam("description") String description) {
        csrf.verify(csrfToken);
        CouponForm entered = new CouponForm(code, type, tierId, days, max, until, description);
        return act(entered, "coupon_created", () -> {
            CouponInput input = Forms.valid(validator, new CouponInput(Forms.optionalText("code", code),
                    type(Forms.required("type", type)), Forms.optionalText("tierId", tierId),
                    Forms.optionalNumber("durationDays", days), Forms.optionalNumber("maxRedemptions", max), null,
                    endOfDay(Forms.required("validUntil", until)), null, Forms.optionalText("description", description)));
            // the API passes the caller's subject as createdBy; here that is the signed-in admin
            return coupons.create(input, signedIn.caller().subject()).map(created -> created.id());
        });
    }

    @POST
    @Path("/{id}/deactivate")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> deactivate(@FormParam(CsrfToken.NAME) String csrfToken, @PathParam("id") String id) {
        csrf.verify(csrfToken);
        return act(CouponForm.EMPTY, "coupon_deactivated", () -> coupons.deactivate(id).map(ignored -> id));
    }

    /**
     * On success back to the list with a notice and the coupon selected (a reload does not post again);
     * on a refusal the list again, with the refusal in words and the form as it was entered.
     */
    private Uni<Response> act(CouponForm entered, String done, Supplier<Uni<? extends String>> action) {
        Filter any = new Filter("", "");
        return Uni.createFrom().deferred(action)
                .map(id -> Response.seeOther(uri(id, done)).build())
                .onFailure(ConsoleMessages::isRefusal)
                .recoverWithUni(failure -> render(any, null, entered, null, ConsoleMessages.of(failure),
                        Response.Status.BAD_REQUEST))
                .onFailure().recoverWithUni(failure -> render(any, null, entered, null, ConsoleMessages.of(failure),
                        Response.Status.INTERNAL_SERVER_ERROR));
    }

    private static URI uri(String selected, String done) {
        return UriBuilder.fromPath("/console/coupons").queryParam("selected", selected).queryParam("done", done).build();
    }

    private Uni<Response> render(Filter filter, String selected, CouponForm form, String notice, String error,
            Response.Status status) {
        Boolean active;
        CouponType type;
        try {
            active = active(filter.active());
            type = filter.type().isEmpty() ? null : type(filter.type());
        } catch (ApiException refused) {
            // a hand-edited query: say so and list everything
            return render(new Filter("", ""), selected, form, notice, ConsoleMessages.of(refused),
                    Response.Status.BAD_REQUEST);
        }
        TemplateInstance instance = page.data("filter", filter).data("form", form)
                .data("types", Arrays.stream(CouponType.values()).map(CouponType::wire).toList())
                .data("selected", null).data("redemptions", List.of());
        return tiers.list().invoke(list -> instance.data("tiers", list))
                .chain(() -> coupons.list(active, type, new Page.Request(SHOWN, Long.MAX_VALUE)))
                .invoke(found -> instance.data("coupons", found.items()).data("more", found.nextCursor() != null))
                .chain(() -> Selection.page(instance, selected == null ? Uni.createFrom().voidItem() : coupons.get(selected)
                        .chain(coupon -> coupons.redemptions(selected, new Page.Request(REDEMPTIONS_SHOWN, Long.MAX_VALUE))
                                .invoke(redeemed -> instance.data("selected", coupon).data("redemptions", redeemed.items())))
                        .replaceWithVoid(), said -> signedIn.shell("coupons", notice, said), error, status));
    }

    private static Boolean active(String value) {
        return switch (value) {
            case "" -> null;
            case "true", "false" -> Boolean.valueOf(value);
            default -> throw ApiException.invalid("active", "must be true or false");
        };
    }

    /** As the API reads it: the wire names only; blank is left to the validation (type is required). */
    private static CouponType type(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return switch (value.strip()) {
            case "single_use", "period", "wellpass" -> CouponType.ofWire(value.strip());
            default -> throw ApiException.invalid("type", "must be single_use, period or wellpass");
        };
    }

    /** A date field means the whole of that day, in UTC as every time on the console. */
    static Instant endOfDay(String date) {
        if (date == null || date.isBlank()) {
            return null;
        }
        LocalDate day;
        try {
            day = LocalDate.parse(date.strip());
        } catch (DateTimeParseException e) {
            throw ApiException.invalid("validUntil", "must be a date (YYYY-MM-DD)");
        }
        if (day.getYear() < 1 || day.isAfter(LAST_DAY)) {
            throw ApiException.invalid("validUntil", "must be a date from 0001-01-01 to " + LAST_DAY);
        }
        // the coupon is refused from validUntil on, so a coupon valid through the day ends at the next midnight
        return day.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    }
}
