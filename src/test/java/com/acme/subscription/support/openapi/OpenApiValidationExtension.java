package com.acme.subscription.support.openapi;

import java.lang.reflect.Method;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Puts {@link OpenApiValidation}'s filter into REST Assured for every test class, without touching the tests.
 * <p>
 * Registered through META-INF/services/org.junit.jupiter.api.extension.Extension; quarkus-junit's own
 * junit-platform.properties turns on the automatic registration. A {@code @QuarkusTest} class runs in Quarkus'
 * class loader, which has its own REST Assured: the filter is installed through the test class' loader, by
 * reflection, so it lands in the REST Assured the test really uses.
 */
public final class OpenApiValidationExtension implements BeforeAllCallback, BeforeEachCallback {

    private static final String VALIDATION = "com.acme.subscription.support.openapi.OpenApiValidation";

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        call(context, "install", null);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        call(context, "install", null);
        call(context, "currentTest", context.getRequiredTestClass().getName() + "#"
                + context.getTestMethod().map(Method::getName).orElse(""));
    }

    private static void call(ExtensionContext context, String method, String argument) throws Exception {
        ClassLoader loader = context.getRequiredTestClass().getClassLoader();
        Class<?> validation;
        try {
            validation = Class.forName(VALIDATION, true, loader);
        } catch (ClassNotFoundException e) {
            return; // a test class loader without the test support classes (none here, but never break a test)
        }
        if (argument == null) {
            validation.getMethod(method).invoke(null);
        } else {
            validation.getMethod(method, String.class).invoke(null, argument);
        }
    }
}
