package com.acme.subscription.console;

import jakarta.json.JsonString;

import org.eclipse.microprofile.jwt.JsonWebToken;

import com.acme.subscription.common.security.Caller;

import io.quarkus.security.identity.SecurityIdentity;

/** The signed-in person as the console's pages name them, and the subject their actions are recorded with. */
public record ConsoleUser(String subject, String name, String email) {

    static ConsoleUser of(SecurityIdentity identity) {
        String subject = Caller.of(identity).subject();
        if (identity.getPrincipal() instanceof JsonWebToken token) {
            String name = firstOf(token.getClaim("name"), token.getClaim("preferred_username"), subject);
            return new ConsoleUser(subject, name, text(token.getClaim("email")));
        }
        return new ConsoleUser(subject, subject, null);
    }

    private static String firstOf(Object... values) {
        for (Object value : values) {
            String text = text(value);
            if (text != null && !text.isBlank()) {
                return text;
            }
        }
        return null;
    }

    /** A claim's text: providers' JSON strings arrive as JsonString, whose toString() keeps the quotes. */
    private static String text(Object claim) {
        return claim instanceof JsonString json ? json.getString() : claim == null ? null : claim.toString();
    }
}
