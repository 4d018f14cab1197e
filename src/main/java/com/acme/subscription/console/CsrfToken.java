package com.acme.subscription.console;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;

/**
 * The console's CSRF token (double submit cookie, bound to the session): a random value in an
 * HttpOnly cookie for /console, with a MAC keyed by the browser's session cookie, repeated as a
 * hidden field in every form; a form is taken only when both are there, equal, and the MAC is the
 * one of the session the form is sent with. A cookie planted by someone else (a sibling sub-domain,
 * plain http on the same host) is not one of the session's, so it is replaced, and no form carries
 * the new one. The session cookie is HttpOnly and secret, so nobody else can make the MAC; no key
 * of the service's is needed, and any replica checks what another issued.
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
    private static final Pattern FORMAT = Pattern.compile("([A-Za-z0-9_-]{22})\\.([A-Za-z0-9_-]{43})");

    private String token;
    private boolean issued;
    private boolean crossOrigin;

    /**
     * The cookie the browser sent, if it is a token of this session ({@code session}: the session
     * cookies' values, empty before sign-in); else a new one, which the response sets. The caller's
     * random source is made at run time (a static one would be frozen into a native image).
     */
    void load(String cookie, String session, String fetchSite, SecureRandom random) {
        // a browser that says where a request comes from: only a page of the console's own origin sends its forms
        crossOrigin = fetchSite != null && !fetchSite.equals("same-origin") && !fetchSite.equals("none");
        Matcher parts = cookie == null ? null : FORMAT.matcher(cookie);
        if (parts != null && parts.matches() && MessageDigest.isEqual(cookie.getBytes(StandardCharsets.US_ASCII),
                tokenFor(parts.group(1), session).getBytes(StandardCharsets.US_ASCII))) {
            token = cookie;
        } else {
            byte[] bytes = new byte[BYTES];
            random.nextBytes(bytes);
            token = tokenFor(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes), session);
            issued = true;
        }
    }

    /** The token of this nonce in this session: the nonce and its MAC. */
    static String tokenFor(String nonce, String session) {
        return nonce + "." + new String(mac(nonce, session), StandardCharsets.US_ASCII);
    }

    /** HMAC-SHA256 of the nonce keyed by the session, base64url: only the session's holder can make it. */
    private static byte[] mac(String nonce, String session) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(("console-csrf:" + session).getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding()
                    .encode(mac.doFinal(nonce.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
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

    /**
     * The form's field must be the cookie's token, and the browser must not say that the form comes
     * from another origin; a cookie not of this session is new here and matches no form.
     */
    void verify(String field) {
        if (issued || crossOrigin || field == null || !MessageDigest.isEqual(field.getBytes(StandardCharsets.US_ASCII),
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
