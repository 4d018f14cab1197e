package com.acme.subscription.jobs;

import java.util.Arrays;
import java.util.Optional;

/** The background jobs (docs/jobs.md), scheduled and run on demand under these names. */
public enum JobName {
    EXPIRE_GRANTS("expire-grants"),
    RESUME_GRANTS("resume-grants"),
    RESET_USAGE("reset-usage"),
    PRUNE("prune");

    private final String id;

    JobName(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Optional<JobName> of(String id) {
        return Arrays.stream(values()).filter(job -> job.id.equals(id)).findFirst();
    }
}
