package com.acme.subscription.profile;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.acme.subscription.common.Ids;

/** Body of {@code POST /profiles}; without an id the service generates a UUID. */
@Schema(name = "Registration")
public record Registration(
        @Pattern(regexp = Registration.ID, message = "must be 1-128 characters of letters, digits and . _ : -")
        @Schema(nullable = true, description = "Your id for the profile; a UUID is generated when absent") String id,
        @NotBlank @Size(max = 254) @Pattern(regexp = "\\s*[^@\\s]+@[^@\\s]+\\.[^@\\s]+\\s*", message = "must be an e-mail address")
        String email,
        @Schema(nullable = true) @Size(max = 200) String invitationToken) {

    public static final String ID = "[A-Za-z0-9][A-Za-z0-9._:-]{0," + (Ids.PROFILE_ID_MAX - 1) + "}";

    /** The request after normalisation: the e-mail address trimmed. */
    public Registration normalized() {
        return new Registration(id, email.trim(), invitationToken);
    }
}
