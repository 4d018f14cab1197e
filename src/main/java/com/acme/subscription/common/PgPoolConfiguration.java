package com.acme.subscription.common;

import java.util.List;

import jakarta.inject.Singleton;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnectOptions;

/**
 * The datasource's pool as Quarkus configures it, with one change: the statements of the hot
 * paths (a check, a consume) are several kB long, past Vert.x' default limit of 2048
 * characters for the prepared-statement cache (switched on in application.properties), so
 * they would never be cached. The pool connects to every host of the datasource URL (a
 * comma-separated list), taking them in turn, as Quarkus' own pool does.
 */
@Singleton
public class PgPoolConfiguration implements PgPoolCreator {

    static final int STATEMENT_CACHE_SQL_LIMIT = 65_536;

    @Override
    public Pool create(Input input) {
        input.pgConnectOptionsList().forEach(options -> options.setPreparedStatementCacheSqlLimit(STATEMENT_CACHE_SQL_LIMIT));
        return PgBuilder.pool()
                .with(input.poolOptions())
                .connectingTo(List.<SqlConnectOptions> copyOf(input.pgConnectOptionsList()))
                .using(input.vertx())
                .build();
    }
}
