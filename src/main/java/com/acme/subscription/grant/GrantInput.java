package com.acme.subscription.grant;

import java.time.Instant;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST /profiles/{id}/grants}: a tier for {@code days} days, or until {@code validUntil}. */
@Schema(name = "GrantInput")
public record GrantInput(
        @NotNull @Pattern(regexp = "[a-z][a-z0-9_]{0,63}", message = "must be a tier id") String tierId,
        @Schema(nullable = true, description = "Length in days from now; or give validUntil") @Min(1) @Max(36500) Integer days,
        @Schema(nullable = true, description = "End of the grant; or give days") Instant validUntil,
        @Schema(nullable = true) @Size(max = 1000) String reason) {
}
