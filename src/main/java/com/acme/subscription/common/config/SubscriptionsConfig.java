package com.acme.subscription.common.config;

import java.time.Duration;
import java.util.OptionalInt;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The service's own configuration, {@code subscriptions.*} (environment: {@code SUBSCRIPTIONS_*}),
 * with each default here and nowhere else. SmallRye Config also answers these defaults to plain
 * lookups and {@code ${...}} expressions, which is how the jobs' {@code @Scheduled} intervals read
 * them (README.md lists the variables; docs/jobs.md the jobs' ones).
 */
@ConfigMapping(prefix = "subscriptions")
public interface SubscriptionsConfig {

    Jobs jobs();

    EmailVerification emailVerification();

    TokenCache tokenCache();

    Catalog catalog();

    EmbeddedPostgres embeddedPostgres();

    Database database();

    Webhooks webhooks();

    /** Delivery of events to webhook endpoints (docs/webhooks.md). */
    interface Webhooks {

        /** Whether endpoints may be plain {@code http} URLs (otherwise only {@code https}). */
        @WithDefault("false")
        boolean allowHttp();

        /**
         * Whether endpoints may resolve to loopback, link-local or private addresses; off, such
         * targets are refused when an endpoint is saved and again before every delivery.
         */
        @WithDefault("false")
        boolean allowPrivateTargets();

        /** An attempt that has no complete 2xx answer by then has failed. */
        @WithDefault("10s")
        Duration timeout();

        /**
         * How long a claimed delivery belongs to the replica that claimed it; one not marked by then
         * (its replica died mid-send) is sent again. Must be well above the timeout.
         */
        @WithDefault("60s")
        Duration lease();

        /** Deliveries one replica claims at once (and sends side by side). */
        @WithDefault("50")
        int batchSize();

        /** The interval of the dispatcher's schedule, beside the wake-up by new events. */
        @WithDefault("5s")
        Duration every();

        /** Whether queued deliveries wake the dispatcher at once (LISTEN deliveries_queued). */
        @WithDefault("true")
        boolean listen();

        /** From the first attempt, how long a delivery is retried before it is failed. */
        @WithDefault("P3D")
        Duration retryFor();

        /** How long the previous secret keeps signing beside the new one after a rotation. */
        @WithDefault("PT24H")
        Duration previousSecretFor();
    }

    Events events();

    /** The events beyond the outbox itself (docs/events.md); Kafka: docs/kafka.md. */
    interface Events {

        /** The Kafka topic every event is published to when {@code KAFKA_BOOTSTRAP_SERVERS} is set. */
        @WithDefault("subscription-events")
        String topic();

        Kafka kafka();
    }

    /** The outbox's publisher to Kafka (kafka/KafkaPublisher), idle unless {@code KAFKA_BOOTSTRAP_SERVERS} is set. */
    interface Kafka {

        /** Events read and sent per round; each round ends with one statement that marks them published. */
        @WithDefault("500")
        int batchSize();

        /**
         * How long one send may wait for the broker (its metadata, then its acknowledgement) before it
         * counts as failed; the event stays unpublished and is sent again on the next round.
         */
        @WithDefault("30s")
        Duration sendTimeout();

        /** After a failed round (broker or database unreachable), the next one starts this much later. */
        @WithDefault("5s")
        Duration retry();

        /**
         * A round on this schedule as well, in case a notification of new events was missed; new
         * events normally start a round at once.
         */
        @WithDefault("30s")
        Duration every();
    }

    /** The connection pool beyond what {@code quarkus.datasource.reactive.*} sets (PgPoolConfiguration). */
    interface Database {

        /**
         * Statements that may wait for a pooled connection at once; the next one fails at once and its
         * request is answered 503. It bounds what piles up behind a database that stops answering
         * without closing its connections, and sheds load the pool could not serve soon anyway.
         */
        @WithDefault("256")
        int maxWaitingStatements();

        /**
         * Connections of the pipelined client that serves the checks: each one carries many checks
         * at once (up to {@code quarkus.datasource.reactive.postgresql.pipelining-limit}), so a few
         * suffice; they come on top of the pool's.
         */
        @WithDefault("2")
        int pipelinedConnections();

        /**
         * Connections that serve consumes and releases sent without an Idempotency-Key, apart from the
         * checks' so that no check waits behind a commit; they come on top of the pool's and the
         * checks'. Each runs one group of such writes at a time, its statements pipelined, under one
         * commit ({@code GroupCommit}).
         */
        @WithDefault("2")
        int pipelinedWriteConnections();

        /**
         * Writes one commit serves at most ({@code GroupCommit}): the writes that wait while every
         * write connection is busy are taken together, up to this many.
         */
        @WithDefault("64")
        int writeGroupSize();

        /**
         * Writes waiting at which a second group of consumes goes out on a write connection whose
         * first group is still out, so that the database has the next group to run while the first
         * one's commit is flushed ({@code GroupCommit}); 0: never. Fewer make smaller groups.
         */
        @WithDefault("12")
        int secondWriteGroupAt();

        /**
         * How often each of a replica's own connections (the LISTEN connections of the catalog and the
         * webhooks, the Kafka publisher's) is asked to answer ({@code ConnectionProbe}). The catalog copy
         * is served only while its connection answered a question asked within the last second, so
         * this stays well below one.
         */
        @WithDefault("250ms")
        Duration listenProbeEvery();

        /**
         * An own connection that reads nothing this long is closed and opened again: the database
         * behind it is gone without having said so. Its statements time out at half of it.
         */
        @WithDefault("10s")
        Duration listenProbeTimeout();
    }

    /** The background jobs (docs/jobs.md). */
    interface Jobs {

        /** Profiles or rows per batch; each batch is one transaction. */
        @WithDefault("1000")
        int batchSize();

        /** Batches one replica works on side by side, each on its own pooled connection. */
        @WithDefault("2")
        int parallelism();

        /** From start-up to the first scheduled run of every job. */
        @WithDefault("10s")
        Duration initialDelay();

        Schedule expireGrants();

        Schedule resumeGrants();

        Schedule resetUsage();

        Schedule prune();
    }

    /** When one job runs. */
    interface Schedule {

        /** The interval between two runs of the job on one replica. */
        @WithDefault("60s")
        Duration every();
    }

    interface EmailVerification {

        /** How long a verification token can be used. */
        @WithDefault("P2D")
        Duration ttl();
    }

    /** Bearer tokens verified once and remembered (VerifiedTokenCache). */
    interface TokenCache {

        /** At most this many tokens are remembered; the least useful ones go first. */
        @WithDefault("10000")
        int maximumSize();

        /** A token is verified again at least this often, even while it is valid for longer. */
        @WithDefault("5m")
        Duration maxAge();
    }

    /** This replica's catalog copy (docs/catalog.md). */
    interface Catalog {

        /**
         * The longest wait between two attempts to re-establish the LISTEN connection once it is
         * lost (the first attempts come sooner); the catalog is read from the database meanwhile.
         */
        @WithDefault("1s")
        Duration listenRetry();
    }

    /**
     * The embedded PostgreSQL of dev mode and the tests (common/devdb) reads this system property
     * itself, before the configuration exists; it is named here so that it is a known key
     * (an unknown {@code subscriptions.*} key stops the start).
     */
    interface EmbeddedPostgres {

        /** The port of the embedded database once started, shared by the restarts of one JVM. */
        OptionalInt port();
    }
}
