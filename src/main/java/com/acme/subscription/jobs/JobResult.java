package com.acme.subscription.jobs;

/** Answer of {@code POST /admin/jobs/{name}}: rows processed and how long the run took. */
public record JobResult(String job, long processed, long durationMs) {
}
