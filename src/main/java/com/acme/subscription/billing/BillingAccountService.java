package com.acme.subscription.billing;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;

import com.acme.subscription.common.error.ApiException;
import com.acme.subscription.common.error.NotFound;

import io.smallrye.mutiny.Uni;

/**
 * What a profile sees of billing: its customer and subscriptions, and the Stripe pages where it
 * subscribes (Checkout) and manages what it pays (Customer Portal). Paying itself reaches the
 * service through Stripe's webhook ({@link BillingService}).
 */
@ApplicationScoped
public class BillingAccountService {

    private final StripeConfig config;
    private final BillingRepository billing;
    private final StripeApi stripe;
    private final Clock clock;

    public BillingAccountService(StripeConfig config, BillingRepository billing, StripeApi stripe, Clock clock) {
        this.config = config;
        this.billing = billing;
        this.stripe = stripe;
        this.clock = clock;
    }

    public Uni<BillingView> get(String profileId) {
        return configured().flatMap(ok -> billing.account(profileId))
                .map(account -> account.orElseThrow(() -> NotFound.profile(profileId)));
    }

    /**
     * A Checkout session for the tier's price of the interval, for the profile's customer: the one
     * it has, or one created now (and linked before the session is made, so that every later
     * checkout and the portal find it).
     */
    public Uni<BillingSession> checkout(String profileId, CheckoutSessionInput input) {
        return configured().flatMap(ok -> billing.payer(profileId))
                .map(payer -> payer.orElseThrow(() -> NotFound.profile(profileId)))
                .flatMap(payer -> price(input.tierId(), input.interval())
                        .flatMap(price -> customer(profileId, payer)
                                .flatMap(customer -> stripe.checkoutSession(profileId, customer, price,
                                        input.successUrl(), input.cancelUrl()))))
                .map(BillingSession::new);
    }

    /** A Customer Portal session; a profile that never went through a checkout has no customer to show. */
    public Uni<BillingSession> portal(String profileId, PortalSessionInput input) {
        return configured().flatMap(ok -> billing.payer(profileId))
                .map(payer -> payer.orElseThrow(() -> NotFound.profile(profileId)))
                .flatMap(payer -> {
                    if (payer.customerId() == null) {
                        throw ApiException.conflict("no_billing_customer", "Profile '" + profileId
                                + "' has no Stripe customer yet: it is created by its first checkout.");
                    }
                    return stripe.portalSession(payer.customerId(), input.returnUrl());
                })
                .map(BillingSession::new);
    }

    private Uni<Boolean> configured() {
        return config.configured() ? Uni.createFrom().item(true)
                : Uni.createFrom().failure(StripeWebhookResource.notConfigured());
    }

    /** The tier's Stripe price: 404 for no such tier, 409 when it is not sold (inactive, or no price for the interval). */
    private Uni<String> price(String tierId, BillingInterval interval) {
        return billing.offer(tierId, interval).map(offer -> {
            BillingRepository.Offer found = offer.orElseThrow(() -> NotFound.tier(tierId));
            if (!found.active()) {
                throw ApiException.conflict("tier_not_for_sale", "Tier '" + tierId + "' is inactive: it is not sold.");
            }
            if (found.priceId() == null) {
                throw ApiException.conflict("tier_not_for_sale", "Tier '" + tierId + "' has no " + interval.wire()
                        + "ly Stripe price.");
            }
            return found.priceId();
        });
    }

    private Uni<String> customer(String profileId, BillingRepository.Payer payer) {
        if (payer.customerId() != null) {
            return Uni.createFrom().item(payer.customerId());
        }
        return stripe.createCustomer(profileId, payer.email())
                .flatMap(created -> billing.link(profileId, created, clock.instant()))
                .map(linked -> linked.orElseThrow(() -> NotFound.profile(profileId)));
    }
}
