package com.acme.subscription.profile;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.acme.subscription.common.ApiPaths;
import com.acme.subscription.common.security.Roles;

import io.smallrye.mutiny.Uni;

@Path(ApiPaths.V1 + "/email-verifications")
@Tag(name = "profiles")
@RolesAllowed({ Roles.SERVICE, Roles.ADMIN })
public class EmailVerificationResource {

    /** Body of {@code POST /email-verifications}. */
    @Schema(name = "Verification")
    public record Verification(@NotBlank @Size(max = 200) String token) {
    }

    private final AccountService accounts;

    public EmailVerificationResource(AccountService accounts) {
        this.accounts = accounts;
    }

    @POST
    @Operation(operationId = "verifyEmail", summary = "Verify an e-mail address with its token", description = "Activates the profile; with "
            + "require_email_verification its trial starts now.")
    @APIResponse(responseCode = "200", description = "The profile")
    @APIResponse(responseCode = "410", description = "token_invalid: unknown, used or expired")
    public Uni<ProfileView> verify(@Valid @NotNull Verification body) {
        return accounts.verify(body.token());
    }
}
