package com.acme.subscription.jobs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.acme.subscription.activity.ActivityLog;
import com.acme.subscription.activity.Origin;
import com.acme.subscription.common.config.SubscriptionsConfig;
import com.acme.subscription.jobs.JobRepository.Batch;
import com.acme.subscription.jobs.JobRepository.Prunable;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Runs a job to completion, batch after batch (each its own transaction), from the same
 * "now" for the whole run, so that its outcome does not depend on how long it takes.
 * {@code parallelism} workers take batches side by side on their own connections: the batches
 * skip each other's locked rows exactly as the same job on another replica does, and
 * PostgreSQL runs them on as many cores (a single UPDATE would use one).
 */
@ApplicationScoped
public class JobRunner {

    private static final Logger LOG = Logger.getLogger(JobRunner.class);

    private final JobRepository jobs;
    private final ActivityLog activity;
    private final MeterRegistry metrics;
    private final Clock clock;
    private final int batchSize;
    private final int parallelism;

    @Inject
    public JobRunner(JobRepository jobs, ActivityLog activity, MeterRegistry metrics, Clock clock,
            SubscriptionsConfig config) {
        this(jobs, activity, metrics, clock, config.jobs().batchSize(), config.jobs().parallelism());
    }

    JobRunner(JobRepository jobs, ActivityLog activity, MeterRegistry metrics, Clock clock, int batchSize,
            int parallelism) {
        this.jobs = jobs;
        this.activity = activity;
        this.metrics = metrics;
        this.clock = clock;
        this.batchSize = batchSize;
        this.parallelism = Math.max(1, parallelism);
    }

    public Uni<JobResult> run(JobName job) {
        Instant now = clock.instant();
        long started = System.nanoTime();
        return work(job, now)
                .invoke(rows -> {
                    Duration took = Duration.ofNanos(System.nanoTime() - started);
                    metrics.counter("jobs.runs", "job", job.id(), "result", "ok").increment();
                    metrics.counter("jobs.rows", "job", job.id()).increment(rows);
                    Timer.builder("jobs.duration").tag("job", job.id()).register(metrics).record(took);
                    if (rows > 0) {
                        LOG.infof("Job %s processed %d rows in %d ms", job.id(), rows, took.toMillis());
                    }
                })
                .onFailure().invoke(failure -> {
                    metrics.counter("jobs.runs", "job", job.id(), "result", "failed").increment();
                    LOG.warnf("Job %s failed: %s", job.id(), failure.toString());
                })
                .map(rows -> new JobResult(job.id(), rows,
                        Duration.ofNanos(System.nanoTime() - started).toMillis()));
    }

    private Uni<Long> work(JobName job, Instant now) {
        return switch (job) {
            case EXPIRE_GRANTS -> {
                Origin origin = activity.origin();
                yield untilDone(() -> jobs.expireGrants(now, batchSize, origin))
                        .flatMap(expired -> untilDone(() -> jobs.settleGrants(job, now, batchSize, origin))
                                .map(settled -> expired + settled))
                        .flatMap(sofar -> untilDone(() -> jobs.announceExpiring(now, batchSize))
                                .map(announced -> sofar + announced))
                        // stored states are a copy of what the grants say, not rows of the job's count
                        .call(() -> untilDone(() -> jobs.refreshStates(now, batchSize)));
            }
            case RESUME_GRANTS -> {
                Origin origin = activity.origin();
                yield untilDone(() -> jobs.settleGrants(job, now, batchSize, origin));
            }
            case RESET_USAGE -> {
                Origin origin = activity.origin();
                yield untilDone(() -> jobs.resetUsage(now, batchSize, origin));
            }
            // every kind in turn, each until it is done
            case PRUNE -> Multi.createFrom().items(Prunable.values())
                    .onItem().transformToUniAndConcatenate(kind -> untilDone(() -> jobs.prune(kind, now, batchSize)))
                    .collect().with(Collectors.summingLong(Long::longValue));
        };
    }

    /** Runs {@code parallelism} workers of {@link #worker} and adds up what they changed. */
    private Uni<Long> untilDone(Supplier<Uni<Batch>> batch) {
        List<Uni<Long>> workers = IntStream.range(0, parallelism).mapToObj(i -> worker(batch)).toList();
        return Uni.join().all(workers).andFailFast()
                .map(changed -> changed.stream().mapToLong(Long::longValue).sum());
    }

    /**
     * Runs batches until one finds nothing left to take (or, defensively, takes work but changes
     * nothing). A loop, not a recursion: a backlog of many thousand batches nests nothing.
     */
    private static Uni<Long> worker(Supplier<Uni<Batch>> batch) {
        return Multi.createBy().repeating().uni(batch::get).whilst(done -> done.taken() > 0 && done.rows() > 0)
                .collect().with(Collectors.summingLong(Batch::rows));
    }
}
