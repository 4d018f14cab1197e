package com.acme.subscription.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The service's connections keep their prepared statements, the long ones of the hot paths too
 * (application.properties and PgPoolConfiguration): a statement of several kB run on a connection
 * is still prepared there afterwards, so its next run is not parsed and planned again.
 */
@QuarkusTest
class PreparedStatementCacheTest {

    @Inject
    Pool pool;

    @Test
    void aLongStatementStaysPreparedOnItsConnection() {
        // about 4 kB, as the check and consume statements are: twice Vert.x' default limit
        String padding = "x".repeat(4000);
        String sql = "SELECT $1::INT AS one /* " + padding + " */";
        long prepared = pool.withConnection(connection -> connection.preparedQuery(sql).execute(Tuple.of(1))
                .flatMap(rows -> connection.preparedQuery("SELECT count(*) FROM pg_prepared_statements WHERE statement = $1")
                        .execute(Tuple.of(sql)))
                .map(rows -> rows.iterator().next().getLong(0)))
                .await().atMost(Duration.ofSeconds(10));
        assertEquals(1, prepared);
    }
}
