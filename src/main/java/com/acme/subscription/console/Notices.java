package com.acme.subscription.console;

import java.util.Map;

/** What a page says after an action succeeded; the action names it by key in the redirect. */
final class Notices {

    private static final Map<String, String> SENTENCES = Map.ofEntries(
            Map.entry("grant_created", "The grant was created."),
            Map.entry("grant_revoked", "The grant was revoked."),
            Map.entry("override_set", "The override was saved."),
            Map.entry("override_removed", "The override was removed; the tier's limit applies again."),
            Map.entry("usage_reconciled", "The usage counter was set."),
            Map.entry("coupon_redeemed", "The coupon was redeemed for this profile."),
            Map.entry("coupon_created", "The coupon was created."),
            Map.entry("coupon_deactivated", "The coupon was deactivated; it can no longer be redeemed."),
            Map.entry("setting_saved", "The setting was saved."),
            Map.entry("limit_saved", "The limit was saved."),
            Map.entry("delivery_retried", "The delivery was queued again."));

    private Notices() {
    }

    static String sentence(String key) {
        return key == null ? null : SENTENCES.get(key);
    }
}
