package com.acme.subscription.profile;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.acme.subscription.common.ApiPaths;
import com.acme.subscription.common.idempotency.IdempotentRequest;
import com.acme.subscription.common.security.Caller;
import com.acme.subscription.common.security.Roles;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

@Path(ApiPaths.V1 + "/profiles")
@Tag(name = "profiles")
public class ProfileResource {

    private final ProfileService profiles;
    private final AccountService accounts;
    private final SecurityIdentity identity;

    public ProfileResource(ProfileService profiles, AccountService accounts, SecurityIdentity identity) {
        this.profiles = profiles;
        this.accounts = accounts;
        this.identity = identity;
    }

    @POST
    @RolesAllowed({ Roles.SERVICE, Roles.ADMIN })
    @Operation(operationId = "registerProfile", summary = "Register a profile", description = "Sets the base tier "
            + "to post_trial_tier and starts the trial (trial_tier for trial_duration_days), at verification when "
            + "require_email_verification is true.")
    @APIResponse(responseCode = "201", description = "Registered",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ProfileView.class)))
    @APIResponse(responseCode = "403", description = "registration_closed")
    @APIResponse(responseCode = "409", description = "email_taken, profile_exists")
    @APIResponse(responseCode = "410", description = "token_invalid: the invitation token is unknown, used or expired")
    @Parameter(ref = IdempotentRequest.HEADER)
    public Uni<Response> register(@Valid @NotNull Registration body,
            @Context HttpHeaders headers, @Context UriInfo uri) {
        Caller caller = Caller.of(identity);
        Registration registration = body.normalized();
        return profiles.register(caller, registration, IdempotentRequest.post(headers, uri, caller.subject(), registration));
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Roles.USER, Roles.SERVICE, Roles.ADMIN })
    @Operation(operationId = "getProfile", summary = "One profile (a user token: its own only)")
    @APIResponse(responseCode = "200", description = "The profile")
    @APIResponse(responseCode = "404", description = "profile_not_found")
    public Uni<ProfileView> get(@PathParam("id") String id) {
        Caller.of(identity).requireProfile(id);
        return profiles.get(id);
    }

    @PATCH
    @Path("/{id}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "updateProfile", summary = "Change base tier, role or verification", description = "role admin also sets base tier "
            + "selfhosted unless the patch names a tier; emailVerified true activates like a verification.")
    @APIResponse(responseCode = "200", description = "The profile after the change")
    @APIResponse(responseCode = "404", description = "profile_not_found, tier_not_found")
    public Uni<ProfileView> patch(@PathParam("id") String id, @Valid @NotNull ProfilePatch body) {
        body.requireOnlyChangeableFields();
        return profiles.patch(id, body, Caller.of(identity).subject());
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed({ Roles.SERVICE, Roles.ADMIN })
    @Operation(operationId = "deleteProfile", summary = "Erase a profile and everything of it", description = "Only a salted hash of the e-mail "
            + "address stays, so that registering again with it starts no second trial.")
    @APIResponse(responseCode = "204", description = "Erased")
    @APIResponse(responseCode = "404", description = "profile_not_found")
    public Uni<Void> erase(@PathParam("id") String id) {
        return profiles.erase(id);
    }

    @POST
    @Path("/{id}/email-verification")
    @RolesAllowed({ Roles.SERVICE, Roles.ADMIN })
    @Operation(operationId = "createEmailVerification", summary = "A verification token for the caller to mail", description = "Valid for "
            + "subscriptions.email-verification.ttl (48 hours by default); only the newest token works. "
            + "Takes no Idempotency-Key: a stored answer would hold the raw token.")
    @APIResponse(responseCode = "200", description = "The token and when it expires")
    @APIResponse(responseCode = "404", description = "profile_not_found")
    @APIResponse(responseCode = "409", description = "email_already_verified")
    public Uni<IssuedToken> requestVerification(@PathParam("id") String id) {
        return accounts.requestVerification(id);
    }

    @POST
    @Path("/{id}/invitations")
    @RolesAllowed({ Roles.USER, Roles.SERVICE, Roles.ADMIN })
    @Operation(operationId = "createInvitation", summary = "An invitation token", description = "Only an activated profile that is not disabled may "
            + "invite, with at most 20 unused invitations at a time; valid for invitation_ttl_days.")
    @APIResponse(responseCode = "200", description = "The token and when it expires")
    @APIResponse(responseCode = "403", description = "forbidden: the profile is not activated or has no access")
    @APIResponse(responseCode = "404", description = "profile_not_found")
    @APIResponse(responseCode = "409", description = "too_many_invitations")
    public Uni<IssuedToken> invite(@PathParam("id") String id) {
        Caller.of(identity).requireProfile(id);
        return accounts.invite(id);
    }

    @POST
    @Path("/{id}/logins")
    @RolesAllowed({ Roles.SERVICE, Roles.ADMIN })
    @Operation(operationId = "recordLogin", summary = "Record a login (statistics and activity)")
    @APIResponse(responseCode = "204", description = "Recorded")
    @APIResponse(responseCode = "404", description = "profile_not_found")
    public Uni<Void> login(@PathParam("id") String id) {
        return accounts.recordLogin(id);
    }
}
