package com.acme.subscription.common.database;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Retention;
import java.lang.annotation.Target;

import jakarta.inject.Qualifier;

/**
 * The client that pipelines single statements that commit alone over a few connections of its own
 * ({@code PgPoolConfiguration}): consumes and releases sent without an Idempotency-Key. Checks have
 * their own ({@link Pipelined}), so that none waits behind a commit; transactions use the pool.
 */
@Qualifier
@Retention(RUNTIME)
@Target({ METHOD, FIELD, PARAMETER, TYPE })
public @interface PipelinedWrites {
}
