package com.acme.subscription.jobs;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Answer of {@code POST /admin/jobs/{name}}: rows processed and how long the run took. */
@RegisterForReflection
public record JobResult(String job, long processed, long durationMs) {
}
