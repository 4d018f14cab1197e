package com.acme.subscription.jobs;

import jakarta.enterprise.context.ApplicationScoped;

import com.acme.subscription.common.config.SubscriptionsConfig;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.smallrye.mutiny.Uni;

/**
 * The schedule of the jobs: each every {@code subscriptions.jobs.<name>.every}, the first run
 * {@code subscriptions.jobs.initial-delay} after start-up; {@code QUARKUS_SCHEDULER_ENABLED=false}
 * stops it. The annotations name the keys without a fallback: their defaults are those of
 * {@link SubscriptionsConfig}, which the expressions see. Every replica runs the jobs; the batches
 * are safe to run concurrently (see {@link JobRepository}). They return Uni and run on the event loop.
 */
@ApplicationScoped
public class ScheduledJobs {

    private final JobRunner runner;

    public ScheduledJobs(JobRunner runner) {
        this.runner = runner;
    }

    @Scheduled(identity = "expire-grants", every = "${subscriptions.jobs.expire-grants.every}",
            delayed = "${subscriptions.jobs.initial-delay}", concurrentExecution = ConcurrentExecution.SKIP)
    Uni<Void> expireGrants() {
        return runner.run(JobName.EXPIRE_GRANTS).replaceWithVoid();
    }

    @Scheduled(identity = "resume-grants", every = "${subscriptions.jobs.resume-grants.every}",
            delayed = "${subscriptions.jobs.initial-delay}", concurrentExecution = ConcurrentExecution.SKIP)
    Uni<Void> resumeGrants() {
        return runner.run(JobName.RESUME_GRANTS).replaceWithVoid();
    }

    @Scheduled(identity = "reset-usage", every = "${subscriptions.jobs.reset-usage.every}",
            delayed = "${subscriptions.jobs.initial-delay}", concurrentExecution = ConcurrentExecution.SKIP)
    Uni<Void> resetUsage() {
        return runner.run(JobName.RESET_USAGE).replaceWithVoid();
    }

    @Scheduled(identity = "prune", every = "${subscriptions.jobs.prune.every}",
            delayed = "${subscriptions.jobs.initial-delay}", concurrentExecution = ConcurrentExecution.SKIP)
    Uni<Void> prune() {
        return runner.run(JobName.PRUNE).replaceWithVoid();
    }
}
