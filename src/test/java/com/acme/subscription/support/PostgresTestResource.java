package com.acme.subscription.support;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/** Registers {@link PostgresResource} for every test class of the module. */
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
public final class PostgresTestResource {

    private PostgresTestResource() {
    }
}
