package com.acme.subscription.support.openapi;

import java.util.Locale;

import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * Writes one line at the end of a test run saying how many API exchanges were checked against the document: the
 * build log shows that the checks ran, in the @QuarkusTest run and in the run against the packaged application.
 * Registered through META-INF/services/org.junit.platform.launcher.TestExecutionListener.
 */
public final class OpenApiValidationSummary implements TestExecutionListener {

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        long validated = OpenApiValidation.count(OpenApiValidation.VALIDATED);
        if (validated > 0) {
            System.out.printf("[openapi-validation] %d API exchanges checked against the served document in %d ms,"
                    + " %d violations (mode %s)%n", validated,
                    OpenApiValidation.count(OpenApiValidation.NANOS) / 1_000_000,
                    OpenApiValidation.count(OpenApiValidation.VIOLATIONS), OpenApiValidation.mode().name().toLowerCase(Locale.ROOT));
        }
    }
}
