package com.acme.subscription.common.error;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.vertx.pgclient.PgException;

/**
 * PostgreSQL's own "not now" answers are an outage (503), told by their code: after a crash the
 * first connections meet a database that is starting up, and a probe a moment later may
 * already succeed, which would turn the answer into a 500.
 */
class DatabaseUnavailableTest {

    @ParameterizedTest(name = "SQLSTATE {0} is an outage: {1}")
    @CsvSource({
            "57P03, true", // the database system is starting up / not yet accepting connections
            "57P01, true", // terminating connection due to administrator command
            "57P02, true", // terminating connection because of crash of another server process
            "53300, true", // too many connections
            "08006, true", // connection failure
            "23505, false", // a unique violation is an answer, not an outage
            "40001, false" })
    void postgresRefusingServiceIsAnOutage(String sqlState, boolean outage) {
        PgException failure = new PgException("FATAL: " + sqlState, "FATAL", sqlState, null);
        assertEquals(outage, DatabaseUnavailable.isCause(new IllegalStateException("wrapped", failure)));
    }
}
