package com.acme.subscription.console;

import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The condition of {@link BrowserTest}: run, skip with a printed reason, or fail when the browser is required. */
public class BrowserCondition implements ExecutionCondition {

    private static final AtomicBoolean REASON_PRINTED = new AtomicBoolean();

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (Browser.available()) {
            return ConditionEvaluationResult.enabled("Chromium and chromedriver found");
        }
        String reason = Browser.unavailableReason();
        if ("required".equals(System.getenv("BROWSER_TESTS"))) {
            throw new IllegalStateException(
                    "Browser tests required (BROWSER_TESTS=required) but cannot run: " + Browser.whatIsMissing());
        }
        // JUnit keeps skip reasons in its reports only; a line in the Maven log is what a person reads
        if (REASON_PRINTED.compareAndSet(false, true)) {
            System.out.println(reason);
        }
        return ConditionEvaluationResult.disabled(reason);
    }
}
