package com.acme.subscription.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ServiceLoader;
import java.util.function.Consumer;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.infrastructure.CallbackDecorator;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Mutiny runs the service's callbacks as they are: no context is captured when a pipeline is
 * built and none restored around each step (application.properties, "Context propagation"). The
 * request's CDI context lives on its Vert.x context, which its pipeline never leaves, and the
 * service has no JTA transactions to carry; wrapping every step cost the hot paths CPU for nothing
 * (bench/README.md, "Context propagation"). Nor does Mutiny install the decorator that would look
 * for a context to propagate at every operator.
 */
@QuarkusTest
class ContextPropagationTest {

    @Test
    void mutinyCallbacksAreNotWrapped() {
        Function<String, String> function = String::trim;
        Consumer<String> consumer = String::length;
        assertSame(function, Infrastructure.decorate(function));
        assertSame(consumer, Infrastructure.decorate(consumer));
    }

    @Test
    void mutinyHasNoCallbackDecorator() {
        assertEquals(0, ServiceLoader.load(CallbackDecorator.class).stream().count());
    }
}
