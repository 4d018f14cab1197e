package com.acme.subscription.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.security.SecureRandom;
import java.util.List;
import java.util.stream.Stream;

import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;

import org.junit.jupiter.api.Test;

/** Every form the console takes carries its CSRF token into the method that checks it. */
class ConsoleFormsTest {

    private static final List<Class<?>> PAGES = List.of(ProfilePage.class, CatalogPage.class, CouponsPage.class,
            WebhooksPage.class, DevSignIn.class);

    @Test
    void everyPostOfTheConsoleTakesTheCsrfToken() {
        List<Method> posts = PAGES.stream().flatMap(page -> Stream.of(page.getDeclaredMethods()))
                .filter(method -> method.isAnnotationPresent(POST.class)).toList();
        assertEquals(12, posts.size(), posts.toString());
        for (Method post : posts) {
            assertTrue(Stream.of(post.getParameters()).map(Parameter::getAnnotations).flatMap(Stream::of)
                    .anyMatch(a -> a instanceof FormParam form && form.value().equals(CsrfToken.NAME)),
                    post + " takes no " + CsrfToken.NAME);
        }
    }

    @Test
    void aFormIsTakenOnlyWithTheTokenOfItsCookie() {
        CsrfToken known = new CsrfToken();
        known.load("AAAAAAAAAAAAAAAAAAAAAA", new SecureRandom());
        known.verify("AAAAAAAAAAAAAAAAAAAAAA");
        for (String field : new String[] { null, "", "AAAAAAAAAAAAAAAAAAAAAB" }) {
            org.junit.jupiter.api.Assertions.assertThrows(CsrfToken.FormRefused.class, () -> known.verify(field));
        }
        // no cookie (or a made-up one): a new token is issued, and no form can carry it yet
        CsrfToken fresh = new CsrfToken();
        fresh.load("<script>", new SecureRandom());
        assertTrue(fresh.issued());
        org.junit.jupiter.api.Assertions.assertThrows(CsrfToken.FormRefused.class, () -> fresh.verify(fresh.getToken()));
    }
}
