package com.acme.subscription.jobs;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Answer of {@code POST /admin/jobs/{name}}: rows processed and how long the run took. */
@RegisterForReflection
@Schema(name = "JobResult")
public record JobResult(@Schema(enumeration = { "expire-grants", "resume-grants", "reset-usage", "prune" }) String job, long processed, long durationMs) {
}
