package com.acme.subscription.console;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.ws.rs.NameBinding;

/**
 * A console resource: {@link ConsoleAccess}' filters run for these and for nothing else, so the
 * API's requests (a check thousands of times a second) never pass through them. Every resource
 * class under /console carries it (ConsoleEndpointTest); without the binding on the filters, every
 * API request would get the console's sign-in or 403 page (the API's tests fail).
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
public @interface ConsoleEndpoint {
}
