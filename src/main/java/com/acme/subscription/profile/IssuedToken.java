package com.acme.subscription.profile;

import java.time.Instant;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A raw token, shown once to the caller (who mails it); only its hash is stored. */
@RegisterForReflection
public record IssuedToken(String token, Instant expiresAt) {
}
