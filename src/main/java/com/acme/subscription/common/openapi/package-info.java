/**
 * The published API description's own parts: what it is, its licence, where it is served, the
 * tags that group the operations, and the pieces every operation shares (the problem body, the
 * Idempotency-Key header). ApiDocumentFilter applies them to every operation.
 */
@OpenAPIDefinition(
        info = @Info(title = "Subscription and entitlement service", version = "1.0.0",
                description = "Which tier each profile (user) of a SaaS product is on, and what it may still do: "
                        + "tiers, features and limits, entitlement checks, atomic usage, coupons, access grants. "
                        + "Every error is application/problem+json with a stable `code`. Bearer JWT with the roles "
                        + "admin, service and user (a user acts on its own profile only).",
                license = @License(name = "Apache-2.0", identifier = "Apache-2.0")),
        servers = @Server(url = "http://localhost:8080",
                description = "A service on this machine; ServersFilter names its API port when it starts"),
        tags = {
                @Tag(name = "catalog", description = "Tiers, features, the tier x feature limits and the settings. "
                        + "Reads need any valid token; changes need admin."),
                @Tag(name = "profiles", description = "Registration (with the trial), e-mail verification, "
                        + "invitations, logins and erasure of the profiles (users) of the product."),
                @Tag(name = "entitlements", description = "The check: may a profile use a feature (amount more "
                        + "times)? Reading it never changes anything."),
                @Tag(name = "usage", description = "Usage counters: consume (atomic, never past the limit), "
                        + "release and reconcile."),
                @Tag(name = "overrides", description = "A profile's own limit of a feature, which beats its tier's."),
                @Tag(name = "coupons", description = "Coupons (single_use, period, wellpass) and their redemptions."),
                @Tag(name = "grants", description = "Access grants of a tier for a time, and the Wellpass rule "
                        + "that pauses other grants while a Wellpass grant runs."),
                @Tag(name = "activity", description = "The activity log, newest first."),
                @Tag(name = "events", description = "The events announcing every change of what a profile may do "
                        + "(CloudEvents), as kept in the outbox that webhooks and Kafka deliver from."),
                @Tag(name = "webhooks", description = "Webhook endpoints that receive the events (Standard Webhooks, "
                        + "signed), their delivery log, retries and replays."),
                @Tag(name = "billing", description = "Stripe subscriptions drive tiers: Stripe's webhook, a profile's "
                        + "billing, Checkout and Customer Portal sessions."),
                @Tag(name = "stats", description = "Statistics of one profile and of the whole service."),
                @Tag(name = "jobs", description = "Run a background job now (they also run on a schedule).") },
        components = @Components(
                schemas = {
                        @Schema(name = "Problem", implementation = Problem.class),
                        @Schema(name = "FieldError", implementation = FieldError.class) },
                parameters = @Parameter(name = IdempotentRequest.HEADER, in = ParameterIn.HEADER,
                        description = "Makes a retry safe: the same key (per token subject, method and path) within "
                                + "24 hours answers the first answer again and changes nothing more. 1-200 printable "
                                + "ASCII characters.",
                        schema = @Schema(type = SchemaType.STRING, minLength = 1, maxLength = 200,
                                pattern = "^[\\x20-\\x7E]{1,200}$"))))
package com.acme.subscription.common.openapi;

import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.info.License;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.servers.Server;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.acme.subscription.common.error.FieldError;
import com.acme.subscription.common.error.Problem;
import com.acme.subscription.common.idempotency.IdempotentRequest;

