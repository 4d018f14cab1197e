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
 * The client that pipelines statements over a few connections ({@code PgPoolConfiguration}): for
 * the checks, single statements that read and need no transaction around them. Consumes and releases
 * without an Idempotency-Key have connections of their own ({@link GroupCommit}); everything else uses the
 * datasource's pool.
 */
@Qualifier
@Retention(RUNTIME)
@Target({ METHOD, FIELD, PARAMETER, TYPE })
public @interface Pipelined {
}
