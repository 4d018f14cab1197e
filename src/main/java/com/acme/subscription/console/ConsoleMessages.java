package com.acme.subscription.console;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import com.acme.subscription.common.error.ApiException;
import com.acme.subscription.common.error.DatabaseUnavailable;
import com.acme.subscription.common.error.FieldError;
import com.acme.subscription.common.error.PgErrors;
import com.acme.subscription.common.error.Problem;

import io.vertx.core.json.JsonObject;

/**
 * A refusal as a sentence for the people who run the product: the problem {@code code} the API
 * would answer, said in words, with the API's own detail where it names what is wrong. Never a
 * stack trace; what nobody foresaw is logged and said as such.
 */
final class ConsoleMessages {

    private static final Logger LOG = Logger.getLogger(ConsoleMessages.class);

    private static final Map<String, String> SENTENCES = Map.ofEntries(
            Map.entry("validation_failed", "Some values are not valid."),
            Map.entry("profile_not_found", "There is no such profile."),
            Map.entry("tier_not_found", "There is no such tier."),
            Map.entry("feature_not_found", "There is no such feature."),
            Map.entry("coupon_not_found", "There is no such coupon."),
            Map.entry("grant_not_found", "There is no such grant for this profile."),
            Map.entry("webhook_not_found", "There is no such webhook endpoint."),
            Map.entry("delivery_not_found", "That event was never queued for this endpoint."),
            Map.entry("setting_not_found", "There is no such setting."),
            Map.entry("coupon_code_taken", "Another coupon already has this code."),
            Map.entry("max_redemptions_below_count", "The coupon has already been redeemed more often than that."),
            Map.entry("not_metered", "This feature is not counted, so there is no usage to reconcile."),
            Map.entry("feature_in_use", "The feature is still used by limits or overrides."),
            Map.entry("tier_in_use", "The tier is still in use."),
            Map.entry("sort_order_taken", "Another tier already has this sort order."),
            Map.entry("price_id_taken", "Another tier already uses this Stripe price."),
            Map.entry("coupon_inactive", "The coupon is deactivated."),
            Map.entry("coupon_expired", "The coupon has expired."),
            Map.entry("coupon_not_yet_valid", "The coupon is not valid yet."),
            Map.entry("coupon_exhausted", "The coupon has no redemptions left."),
            Map.entry("coupon_already_redeemed", "This profile has already redeemed the coupon."),
            Map.entry("limit_exceeded", "That would pass the limit."),
            Map.entry("forbidden", "Your account may not do this."),
            Map.entry("unavailable", "The service is busy; nothing was changed. Try again in a moment."),
            // answered before any page could be (ConsoleProblemPage)
            Map.entry("not_found", "There is no such page in the console."),
            Map.entry("method_not_allowed", "This address belongs to a form: it is sent by the form's page, not opened."),
            Map.entry("unsupported_media_type", "The console takes its forms as ordinary form posts; nothing was changed."),
            Map.entry("unauthorized", "Your sign-in has ended; open the console again to sign in."));

    private static final String DATABASE_UNREACHABLE =
            "The database cannot be reached right now; nothing was changed. Try again in a moment.";

    private ConsoleMessages() {
    }

    /** What to tell the person whose action failed. */
    static String of(Throwable failure) {
        if (failure instanceof ApiException api) {
            String sentence = SENTENCES.getOrDefault(api.code(), api.getMessage());
            return appendFieldErrors(sentence, api.extensions().get("errors"));
        }
        if (failure instanceof ConstraintViolationException invalid) {
            return SENTENCES.get("validation_failed") + " " + describe(invalid.getConstraintViolations());
        }
        if (DatabaseUnavailable.isCause(failure)) {
            return DATABASE_UNREACHABLE;
        }
        if (PgErrors.isTryAgain(failure)) {
            return "Something else changed the same data at the same moment; nothing was changed. Try again.";
        }
        LOG.error("Console action failed unexpectedly", failure);
        return "Something went wrong on the server; it has been logged. Nothing you entered was wrong.";
    }

    /**
     * What to tell a person whose request the service answered with this problem before any page could:
     * a 503 there is the database out of reach (a page that could not be read), not a busy replica.
     */
    static String of(Problem problem) {
        if (problem.code().equals("unavailable")) {
            return DATABASE_UNREACHABLE;
        }
        return SENTENCES.getOrDefault(problem.code(), problem.detail() == null ? problem.title() : problem.detail());
    }

    /**
     * The refusal an answer of the API's retryable writes carries: sent with a key, they answer a
     * refusal (kept for a retry) as a 4xx answer rather than fail with it. Null for any other answer.
     */
    static ApiException refusal(Object answer) {
        if (!(answer instanceof Response response) || response.getStatus() < 400) {
            return null;
        }
        Object body = response.getEntity();
        if (body instanceof Problem problem) {
            return new ApiException(problem.status(), problem.code(), problem.detail());
        }
        // a refusal replayed for a retry: the problem as stored, JSON text
        JsonObject problem = new JsonObject(String.valueOf(body));
        return new ApiException(response.getStatus(), problem.getString("code"), problem.getString("detail"));
    }

    /** Whether the failure is the person's to fix (a 4xx in the API), as opposed to the server's. */
    static boolean isRefusal(Throwable failure) {
        return failure instanceof ApiException api && api.status() < 500 || failure instanceof ConstraintViolationException;
    }

    /** The status the API would answer for a refusal (400 for a bean validation failure). */
    static int status(Throwable refusal) {
        return refusal instanceof ApiException api ? api.status() : 400;
    }

    static String describe(Set<? extends ConstraintViolation<?>> violations) {
        return violations.stream()
                .sorted(Comparator.comparing((ConstraintViolation<?> v) -> v.getPropertyPath().toString()))
                .map(v -> label(v.getPropertyPath().toString()) + " " + v.getMessage() + ".")
                .collect(Collectors.joining(" "));
    }

    private static String appendFieldErrors(String sentence, Object errors) {
        if (!(errors instanceof List<?> list) || list.isEmpty()) {
            return sentence;
        }
        return sentence + " " + list.stream()
                .filter(FieldError.class::isInstance).map(FieldError.class::cast)
                .map(error -> label(error.field()) + " " + error.message() + ".")
                .collect(Collectors.joining(" "));
    }

    /** "durationDays" as a label says it: "Duration days". */
    static String label(String field) {
        String last = field.contains(".") ? field.substring(field.lastIndexOf('.') + 1) : field;
        String words = last.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase();
        return words.isEmpty() ? field : Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }
}
