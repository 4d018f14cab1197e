package com.acme.subscription.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
        CsrfToken issuing = new CsrfToken();
        issuing.load(null, "q_session=alice", null, new SecureRandom());
        assertTrue(issuing.issued());
        String token = issuing.getToken();

        CsrfToken known = new CsrfToken();
        known.load(token, "q_session=alice", null, new SecureRandom());
        assertFalse(known.issued());
        known.verify(token);
        for (String field : new String[] { null, "", token.substring(0, token.length() - 1) + "x" }) {
            assertThrows(CsrfToken.FormRefused.class, () -> known.verify(field));
        }
        // no cookie, or a made-up one: a new token is issued, and no form can carry it yet
        for (String cookie : new String[] { "<script>", "AAAAAAAAAAAAAAAAAAAAAA",
                "AAAAAAAAAAAAAAAAAAAAAA." + "A".repeat(43) }) {
            CsrfToken fresh = new CsrfToken();
            fresh.load(cookie, "q_session=alice", null, new SecureRandom());
            assertTrue(fresh.issued(), cookie);
            assertThrows(CsrfToken.FormRefused.class, () -> fresh.verify(cookie));
            assertThrows(CsrfToken.FormRefused.class, () -> fresh.verify(fresh.getToken()));
        }
    }

    /**
     * A token is one of the session it was issued in: one planted by someone else (their own, from
     * another session or none) is not taken from the victim's browser, whose session cookie they lack.
     */
    @Test
    void aTokenOfAnotherSessionIsNotTaken() {
        CsrfToken attackers = new CsrfToken();
        attackers.load(null, "q_session=mallory", null, new SecureRandom());
        CsrfToken anonymous = new CsrfToken();
        anonymous.load(null, "", null, new SecureRandom());
        for (String planted : new String[] { attackers.getToken(), anonymous.getToken() }) {
            CsrfToken victims = new CsrfToken();
            victims.load(planted, "q_session=alice", null, new SecureRandom());
            assertTrue(victims.issued());
            assertThrows(CsrfToken.FormRefused.class, () -> victims.verify(planted));
        }
    }

    /** A form the browser says comes from another origin (a sibling sub-domain is same-site, not same-origin) is refused. */
    @Test
    void aFormFromAnotherOriginIsNotTaken() {
        CsrfToken issuing = new CsrfToken();
        issuing.load(null, "q_session=alice", null, new SecureRandom());
        String token = issuing.getToken();
        for (String site : new String[] { null, "same-origin", "none" }) {
            CsrfToken taken = new CsrfToken();
            taken.load(token, "q_session=alice", site, new SecureRandom());
            taken.verify(token);
        }
        for (String site : new String[] { "same-site", "cross-site" }) {
            CsrfToken refused = new CsrfToken();
            refused.load(token, "q_session=alice", site, new SecureRandom());
            assertThrows(CsrfToken.FormRefused.class, () -> refused.verify(token), site);
        }
    }
}
