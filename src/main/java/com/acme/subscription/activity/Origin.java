package com.acme.subscription.activity;

/** Where a request came from, recorded on the activity entries it writes; both null for jobs. */
public record Origin(String ipAddress, String userAgent) {

    public static final Origin NONE = new Origin(null, null);
}
