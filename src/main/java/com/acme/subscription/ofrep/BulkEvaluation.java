package com.acme.subscription.ofrep;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Every flag of a profile at once: {@code tier} first, then each active feature by id. */
@Schema(name = "OfrepBulkEvaluation", description = "Every flag (OFREP bulkEvaluationSuccess): tier, then each "
        + "active feature by id.")
@RegisterForReflection
public record BulkEvaluation(@Schema(required = true) List<FlagEvaluation> flags) {
}
