package com.acme.subscription.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;

/**
 * The console's CSRF token (double submit cookie): a random value in an HttpOnly cookie for /console,
 * repeated as a hidden field in every form; a form is taken only when both are there and equal.
 * Templates write the field with {@code {inject:csrf.parameterName}} and {@code {inject:csrf.token}}.
 *
 * Why not quarkus-rest-csrf: its filter checks every form post of the application, and so refused
 * the API's bodiless POSTs that clients send with a form content type (jobs, logins) and form bodies
 * that must be answered {@code 415 unsupported_media_type}. This one checks the console's forms only.
 */
@Named("csrf")
@RequestScoped
public class CsrfToken {

    static final String NAME = "csrf-token";
    /** A working day: a form older than that is refused with a page that says so. */
    static final long MAX_AGE_SECONDS = 12 * 60 * 60;
    private static final int BYTES = 16;

    private String token;
    private boolean issued;

    /**
     * The cookie the browser sent, if it is a token of ours; else a new one, which the response sets.
     * The caller's random source is made at run time (a static one would be frozen into a native image).
     */
    void load(String cookie, SecureRandom random) {
        if (cookie != null && cookie.matches("[A-Za-z0-9_-]{22}")) {
            token = cookie;
        } else {
            byte[] bytes = new byte[BYTES];
            random.nextBytes(bytes);
            token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            issued = true;
        }
    }

    public String getToken() {
        return token;
    }

    public String getParameterName() {
        return NAME;
    }

    /** Whether this response must set the cookie. */
    boolean issued() {
        return issued;
    }

    /** The form's field must be the cookie's token; a made-up cookie is new here and matches no form. */
    void verify(String field) {
        if (issued || field == null || !MessageDigest.isEqual(field.getBytes(StandardCharsets.US_ASCII),
                token.getBytes(StandardCharsets.US_ASCII))) {
            throw new FormRefused();
        }
    }

    /** A console form without its token: answered with a page that says so, and nothing changes. */
    static class FormRefused extends RuntimeException {

        FormRefused() {
            super("The form was sent without the token of the page it came from", null, false, false);
        }
    }
}
