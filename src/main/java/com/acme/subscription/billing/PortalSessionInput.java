package com.acme.subscription.billing;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST /profiles/{id}/billing/portal-sessions}. */
@Schema(name = "PortalSessionInput")
public record PortalSessionInput(
        @Schema(description = "Where the Customer Portal's back link leads") @NotNull
        @Size(max = CheckoutSessionInput.MAX_URL)
        @Pattern(regexp = CheckoutSessionInput.URL, message = CheckoutSessionInput.URL_MESSAGE) String returnUrl) {
}
