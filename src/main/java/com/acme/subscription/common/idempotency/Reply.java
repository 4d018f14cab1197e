package com.acme.subscription.common.idempotency;

import com.acme.subscription.common.error.ApiException;
import com.acme.subscription.common.error.Problem;

/** A status and body that a retried request may get again. */
public record Reply(int status, Object body) {

    public static Reply ok(Object body) {
        return new Reply(200, body);
    }

    public static Reply created(Object body) {
        return new Reply(201, body);
    }

    /** A refusal as an answer of the work (its problem body), for work that commits what it refused. */
    public static Reply refused(ApiException e, String path) {
        return new Reply(e.status(), Problem.of(e.status(), e.code(), e.getMessage(), path, e.extensions()));
    }
}
