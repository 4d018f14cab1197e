package com.acme.subscription.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.acme.subscription.jobs.JobRepository.Batch;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;

/** How the runner drives batches, without a database: a backlog of many batches, taken by two workers. */
class JobRunnerTest {

    private static final long BATCHES = 200_000;

    private final ExecutorService database = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        database.shutdownNow();
    }

    @Test
    void aBacklogOfManyBatchesRunsToTheEndAndCountsEveryRow() {
        AtomicLong left = new AtomicLong(BATCHES);
        AtomicLong calls = new AtomicLong();
        JobRepository jobs = new JobRepository(null, null, Optional.empty()) {
            @Override
            public Uni<Batch> prune(Prunable kind, Instant now, int batchSize) {
                calls.incrementAndGet();
                boolean took = kind == Prunable.ACTIVITY && left.getAndDecrement() > 0;
                // completes on another thread, as a database answer does
                return Uni.createFrom().item(took ? new Batch(1, 1) : new Batch(0, 0)).emitOn(database);
            }
        };
        JobRunner runner = new JobRunner(jobs, null, new SimpleMeterRegistry(), Clock.systemUTC(), 1, 2);

        JobResult result = runner.run(JobName.PRUNE).await().atMost(Duration.ofMinutes(1));

        assertEquals(BATCHES, result.processed());
        // each of the two workers ends on one empty batch per kind: 2 for the activity, 2 for each other kind
        assertEquals(BATCHES + 2L * JobRepository.Prunable.values().length, calls.get());
    }
}
