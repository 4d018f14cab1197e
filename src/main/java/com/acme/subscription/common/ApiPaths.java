package com.acme.subscription.common;

/** Where the API lives on the HTTP port. OpenFeature's OFREP paths are outside it, as that protocol fixes them. */
public final class ApiPaths {

    /** Base path of every resource of this API. */
    public static final String V1 = "/api/v1";

    private ApiPaths() {
    }
}
