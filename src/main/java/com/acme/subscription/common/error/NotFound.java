package com.acme.subscription.common.error;

/**
 * The 404 answers of the resources that many packages name (a profile, a tier, a feature),
 * here so that every package reaches them without depending on the package that owns the
 * resource.
 */
public final class NotFound {

    private NotFound() {
    }

    public static ApiException profile(String id) {
        return ApiException.notFound("profile_not_found", "There is no profile '" + id + "'.");
    }

    public static ApiException tier(String id) {
        return ApiException.notFound("tier_not_found", "There is no tier '" + id + "'.");
    }

    public static ApiException feature(String id) {
        return ApiException.notFound("feature_not_found", "There is no feature '" + id + "'.");
    }

    public static ApiException coupon(String id) {
        return ApiException.notFound("coupon_not_found", "There is no coupon '" + id + "'.");
    }

    public static ApiException grant(String profileId, String grantId) {
        return ApiException.notFound("grant_not_found", "Profile '" + profileId + "' has no grant '" + grantId + "'.");
    }
}
