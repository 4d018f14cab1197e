package com.acme.subscription.common;

import jakarta.inject.Singleton;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.sqlclient.Pool;

/**
 * The datasource's pool as Quarkus configures it, with one change: the statements of the hot
 * paths (a check, a consume) are several kB long, past Vert.x' default limit of 2048
 * characters for the prepared-statement cache. Uncached, each execution would be parsed
 * and planned anew; cached, PostgreSQL settles on a generic plan and only executes.
 */
@Singleton
public class PgPoolConfiguration implements PgPoolCreator {

    static final int STATEMENT_CACHE_SQL_LIMIT = 65_536;

    @Override
    public Pool create(Input input) {
        input.pgConnectOptionsList().forEach(options -> options.setCachePreparedStatements(true)
                .setPreparedStatementCacheSqlLimit(STATEMENT_CACHE_SQL_LIMIT));
        return Pool.pool(input.vertx(), input.pgConnectOptionsList().get(0), input.poolOptions());
    }
}
