package com.acme.subscription.profile;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A raw token, shown once to the caller (who mails it); only its hash is stored. */
@RegisterForReflection
@Schema(name = "IssuedToken")
public record IssuedToken(String token, Instant expiresAt) {
}
