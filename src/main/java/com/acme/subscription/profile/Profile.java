package com.acme.subscription.profile;

import java.time.Instant;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A user of the product, owned by this service. A null {@code tier} is the base tier "disabled". */
@Entity
@Table(name = "profiles")
public class Profile {

    /** The base tier that gives no access, stored as no tier at all. */
    public static final String DISABLED = "disabled";

    @Id
    public String id;
    public String email;
    public String role;
    public Instant created;
    public Instant updated;
    public String tier;
    public Instant trialEndsAt;
    public boolean emailVerified;
    /** Kept from the monolith's schema, always empty: tokens live hashed in their own table. */
    public String emailVerifyToken;
    public String invitedBy;
    /** Kept from the monolith's schema, always empty. */
    public String invitationToken;
}
