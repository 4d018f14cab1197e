package com.acme.subscription.ofrep;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.acme.subscription.entitlement.Amount;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The body of both evaluations, as OpenAPI describes it. It is read by hand ({@link #read}), not
 * bound by Jackson: each way a body can be wrong has its own OFREP error code, and a context may
 * carry any other attributes an SDK adds.
 */
@Schema(name = "OfrepEvaluationRequest", description = "OFREP evaluationRequest")
public record EvaluationRequest(@Schema(required = true) Context context) {

    @Schema(name = "OfrepContext", description = "The evaluation context; other attributes are ignored.",
            additionalProperties = Schema.True.class)
    public record Context(
            @Schema(required = true, minLength = 1, description = "The profile id") String targetingKey,
            @Schema(minimum = "1", maximum = Amount.MAX_TEXT, defaultValue = "1",
                    description = "Units the profile would use; default 1") Integer amount) {
    }

    /** Who is evaluated, and the amount as sent (checked later: a 403 comes before a bad amount, as in the check). */
    public record Target(String profileId, String key, JsonNode rawAmount) {

        public int amount() {
            if (rawAmount == null || rawAmount.isNull()) {
                return 1;
            }
            if (rawAmount.isIntegralNumber() && rawAmount.canConvertToInt() && Amount.valid(rawAmount.intValue())) {
                return rawAmount.intValue();
            }
            throw OfrepFailure.badRequest(key, OfrepFailure.INVALID_CONTEXT, "amount " + Amount.RULE + ".");
        }
    }

    /** Reads a body; {@code key} is the flag key, null for a bulk evaluation. */
    public static Target read(String body, String key, ObjectMapper json) {
        JsonNode root;
        try {
            root = body == null ? null : json.readTree(body);
        } catch (JacksonException e) {
            throw OfrepFailure.badRequest(key, OfrepFailure.PARSE_ERROR, "The body is not well-formed JSON.");
        }
        if (root == null || !root.isObject()) {
            throw OfrepFailure.badRequest(key, OfrepFailure.PARSE_ERROR,
                    "The body must be a JSON object: {\"context\": {\"targetingKey\": \"<profile id>\"}}.");
        }
        JsonNode context = root.get("context");
        if (context != null && !context.isNull() && !context.isObject()) {
            throw OfrepFailure.badRequest(key, OfrepFailure.INVALID_CONTEXT, "context must be a JSON object.");
        }
        JsonNode targetingKey = context == null ? null : context.get("targetingKey");
        if (targetingKey == null || targetingKey.isNull() || targetingKey.isTextual() && targetingKey.asText().isEmpty()) {
            throw OfrepFailure.badRequest(key, OfrepFailure.TARGETING_KEY_MISSING,
                    "context.targetingKey (the profile id) is required.");
        }
        if (!targetingKey.isTextual()) {
            throw OfrepFailure.badRequest(key, OfrepFailure.INVALID_CONTEXT,
                    "context.targetingKey must be a string: the profile id.");
        }
        // PostgreSQL keeps no text with NUL: no id has one, so it names no flag and no profile
        if (targetingKey.asText().indexOf('\u0000') >= 0) {
            throw OfrepFailure.unknownProfile(key, targetingKey.asText());
        }
        if (key != null && key.indexOf('\u0000') >= 0) {
            throw OfrepFailure.flagNotFound(key);
        }
        return new Target(targetingKey.asText(), key, context.get("amount"));
    }
}
