package com.acme.subscription.ofrep;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * An evaluation refused for its request, answered with OFREP's own error body (its
 * {@code errorCode} is what OpenFeature clients understand) instead of a problem. OFREP defines no
 * body for 401, 403 or 503: those stay the service's problems, as everywhere else.
 */
public class OfrepFailure extends RuntimeException {

    public static final String PARSE_ERROR = "PARSE_ERROR";
    public static final String TARGETING_KEY_MISSING = "TARGETING_KEY_MISSING";
    public static final String INVALID_CONTEXT = "INVALID_CONTEXT";
    public static final String FLAG_NOT_FOUND = "FLAG_NOT_FOUND";
    /** How much of an unknown targetingKey errorDetails repeats. */
    private static final int SHOWN = 80;

    private final int status;
    private final String key;
    private final String errorCode;

    private OfrepFailure(int status, String key, String errorCode, String details) {
        super(details, null, false, false);
        this.status = status;
        this.key = key;
        this.errorCode = errorCode;
    }

    /** A 400 about the request; {@code key} is null for a bulk evaluation, whose failure names no flag. */
    public static OfrepFailure badRequest(String key, String errorCode, String details) {
        return new OfrepFailure(400, key, errorCode, details);
    }

    public static OfrepFailure flagNotFound(String key) {
        return new OfrepFailure(404, key, FLAG_NOT_FOUND, "There is no flag '" + key + "'.");
    }

    public static OfrepFailure unknownProfile(String key, String profileId) {
        // a key of any length is sent back only as far as a person reads it
        String shown = profileId.length() > SHOWN
                // never half of a character: a lone surrogate is no text a strict JSON reader takes
                ? profileId.substring(0, Character.isHighSurrogate(profileId.charAt(SHOWN - 1)) ? SHOWN - 1 : SHOWN) + "..."
                : profileId;
        return badRequest(key, INVALID_CONTEXT, "targetingKey '" + shown + "' is not a profile.");
    }

    public Response toResponse() {
        Object body;
        if (key == null) {
            body = new BulkEvaluationFailure(errorCode, getMessage());
        } else if (status == 404) {
            body = new FlagNotFound(key, errorCode, getMessage());
        } else {
            body = new EvaluationFailure(key, errorCode, getMessage());
        }
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }
}
