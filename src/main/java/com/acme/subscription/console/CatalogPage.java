package com.acme.subscription.console;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.PermitAll;
import jakarta.validation.Validator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.acme.subscription.catalog.Feature;
import com.acme.subscription.catalog.FeatureService;
import com.acme.subscription.catalog.LimitInput;
import com.acme.subscription.catalog.TierLimitMatrix;
import com.acme.subscription.catalog.TierLimitService;
import com.acme.subscription.catalog.TierService;
import com.acme.subscription.settings.SettingService;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.smallrye.mutiny.Uni;

/**
 * Tiers, features, the tier x feature matrix edited cell by cell, and the settings. A cell is saved
 * on its own (htmx swaps just that cell; without JavaScript the form posts and the page reloads)
 * through the service behind {@code PUT/DELETE /tiers/{tierId}/limits/{featureId}}.
 */
@ConsoleEndpoint
@Path("/console/catalog")
@PermitAll // admitted by ConsoleAccess
public class CatalogPage {

    /** What a cell's field says: blank is the feature's default (no cell), "unlimited", or a number. */
    static final String UNLIMITED = "unlimited";

    /** One cell of the matrix as its form shows it. */
    public record Cell(String tierId, String featureId, String value, String placeholder, String message, boolean failed) {
    }

    private final TierService tiers;
    private final FeatureService features;
    private final TierLimitService limits;
    private final SettingService settings;
    private final Validator validator;
    private final SignedIn signedIn;
    private final Template catalog;
    private final CsrfToken csrf;

    public CatalogPage(CsrfToken csrf,
            TierService tiers, FeatureService features, TierLimitService limits, SettingService settings,
            Validator validator, SignedIn signedIn, @Location("console/catalog.html") Template catalog) {
        this.csrf = csrf;
        this.tiers = tiers;
        this.features = features;
        this.limits = limits;
        this.settings = settings;
        this.validator = validator;
        this.signedIn = signedIn;
        this.catalog = catalog;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> show(@QueryParam("done") String done) {
        return page(Notices.sentence(done), null, Response.Status.OK);
    }

    private Uni<Response> page(String notice, String error, Response.Status status) {
        return tiers.list().chain(tierList -> features.list().chain(featureList -> limits.matrix()
                .chain(matrix -> settings.all().map(all -> catalog
                        .data("shell", signedIn.shell("catalog", notice, error))
                        .data("tiers", tierList)
                        .data("features", featureList)
                        .data("rows", rows(matrix, featureList))
                        .data("settings", all)))))
                .map(page -> Response.status(status).entity(page).build());
    }

    /** featureId -> the cells of its row, in the matrix's tier order (by sortOrder). */
    private static Map<String, List<Cell>> rows(TierLimitMatrix matrix, List<Feature> featureList) {
        Map<String, List<Cell>> rows = new LinkedHashMap<>();
        for (Feature feature : featureList) {
            rows.put(feature.id, matrix.tiers().stream().map(tierId -> cell(tierId, feature,
                    matrix.limits().getOrDefault(tierId, Map.of()), null, false)).toList());
        }
        return rows;
    }

    private static Cell cell(String tierId, Feature feature, Map<String, Integer> tierRow, String message, boolean failed) {
        String value = !tierRow.containsKey(feature.id) ? "" : tierRow.get(feature.id) == null ? UNLIMITED
                : tierRow.get(feature.id).toString();
        return new Cell(tierId, feature.id, value, defaultOf(feature), message, failed);
    }

    private static String defaultOf(Feature feature) {
        return "default: " + (feature.defaultLimit == null ? UNLIMITED : feature.defaultLimit);
    }

    /** Saves one cell; htmx gets the cell back (saved, or the refusal beside it), a plain form post the page. */
    @POST
    @Path("/limits/{tierId}/{featureId}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> saveCell(@FormParam(CsrfToken.NAME) String csrfToken,
            @PathParam("tierId") String tierId, @PathParam("featureId") String featureId,
            @FormParam("limit") String text, @HeaderParam("HX-Request") String htmx) {
        csrf.verify(csrfToken);
        Uni<Void> saved = Uni.createFrom().deferred(() -> {
            String value = Forms.required("limit", text).strip();
            if (value.isEmpty()) {
                return limits.remove(tierId, featureId);
            }
            LimitInput input = new LimitInput();
            input.setLimit(value.equalsIgnoreCase(UNLIMITED) ? null : Forms.number("limit", value));
            return limits.set(tierId, featureId, Forms.valid(validator, input)).replaceWithVoid();
        });
        boolean fragment = htmx != null;
        return saved.chain(() -> fragment ? cellFragment(tierId, featureId, "Saved", false)
                        : Uni.createFrom().item(Response.seeOther(URI.create("/console/catalog?done=limit_saved")).build()))
                .onFailure(ConsoleMessages::isRefusal).recoverWithUni(failure -> fragment
                        ? cellFragment(tierId, featureId, ConsoleMessages.of(failure), true)
                        : page(null, ConsoleMessages.of(failure), Response.Status.BAD_REQUEST));
    }

    /** The cell as it now is, with a word on what happened; a refusal still answers 200 so that htmx swaps it in. */
    private Uni<Response> cellFragment(String tierId, String featureId, String message, boolean failed) {
        return features.get(featureId).chain(feature -> limits.matrix().map(matrix -> {
            Cell cell = cell(tierId, feature, matrix.limits().getOrDefault(tierId, Map.of()), message, failed);
            return Response.ok(catalog.getFragment("cell").data("cell", cell)).build();
        })).onFailure(ConsoleMessages::isRefusal).recoverWithItem(failure -> Response.ok(catalog.getFragment("cell")
                .data("cell", new Cell(tierId, featureId, "", "", ConsoleMessages.of(failure), true))).build());
    }

    @POST
    @Path("/settings/{key}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> saveSetting(@FormParam(CsrfToken.NAME) String csrfToken,
            @PathParam("key") String key, @FormParam("value") String value) {
        csrf.verify(csrfToken);
        return Uni.createFrom().deferred(() -> settings.put(key, Forms.required("value", value).strip()))
                .map(saved -> Response.seeOther(URI.create("/console/catalog?done=setting_saved")).build())
                .onFailure(ConsoleMessages::isRefusal)
                .recoverWithUni(failure -> page(null, ConsoleMessages.of(failure), Response.Status.BAD_REQUEST));
    }
}
