package com.acme.subscription.profile;

import java.time.Instant;

/** A raw token, shown once to the caller (who mails it); only its hash is stored. */
public record IssuedToken(String token, Instant expiresAt) {
}
