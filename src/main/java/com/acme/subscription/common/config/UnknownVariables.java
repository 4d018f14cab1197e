package com.acme.subscription.common.config;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.config.ConfigMappings;
import io.smallrye.config.ConfigMappings.ConfigClass;

/**
 * Stops the start on a {@code SUBSCRIPTIONS_*} environment variable that names no setting. SmallRye
 * Config refuses an unknown {@code subscriptions.*} property, but it cannot tell an environment
 * variable's name back into a property's, so a misspelt variable would otherwise be ignored and its
 * setting left at its default without a word. Here every variable is compared with the environment
 * form of each declared key of {@link SubscriptionsConfig}.
 */
@Singleton
public class UnknownVariables {

    private static final Logger LOG = Logger.getLogger(UnknownVariables.class);
    static final String PREFIX = "SUBSCRIPTIONS_";

    /**
     * What Kubernetes sets in every pod for each Service of the namespace, named after the Service: a
     * Service called {@code subscriptions} (or {@code subscriptions-db}) gives {@code SUBSCRIPTIONS_SERVICE_HOST},
     * {@code SUBSCRIPTIONS_PORT_5432_TCP_ADDR} and the like, which are not the service's settings: what
     * follows the Service's part of such a name.
     */
    private static final Pattern SERVICE_LINK = Pattern.compile(
            "SERVICE_HOST|SERVICE_PORT(_[A-Z0-9_]+)?|PORT|PORT_[0-9]+_(TCP|UDP|SCTP)(_PROTO|_PORT|_ADDR)?");
    private static final String SERVICE_HOST = "_SERVICE_HOST";

    void check(@Observes @Priority(1) StartupEvent event) {
        Set<String> known;
        try {
            known = known();
        } catch (RuntimeException | LinkageError unreadable) {
            // the keys could not be listed (a build that left out what SmallRye reads them with): start unchecked
            LOG.warnf("SUBSCRIPTIONS_* environment variables are not checked: %s", unreadable);
            return;
        }
        Set<String> unknown = unknown(System.getenv(), known);
        if (!unknown.isEmpty()) {
            throw new IllegalStateException(message(unknown, known));
        }
    }

    /** The environment names of the service's settings, e.g. {@code SUBSCRIPTIONS_JOBS_BATCH_SIZE}. */
    static Set<String> known() {
        return ConfigMappings.getProperties(ConfigClass.configClass(SubscriptionsConfig.class, "subscriptions"))
                .keySet().stream().map(UnknownVariables::environmentName).collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * The variables of {@code environment} that look like the service's own and name none of {@code known}.
     * Kubernetes' variables for a Service are left aside when that Service's {@code _SERVICE_HOST}, which
     * Kubernetes always sets, is there too: a misspelt setting ending in {@code _PORT} is still found.
     */
    static Set<String> unknown(Map<String, String> environment, Set<String> known) {
        return environment.keySet().stream()
                .filter(name -> name.startsWith(PREFIX) && !known.contains(name) && !serviceLink(name, environment))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static boolean serviceLink(String name, Map<String, String> environment) {
        return environment.keySet().stream().filter(host -> host.endsWith(SERVICE_HOST))
                .map(host -> host.substring(0, host.length() - SERVICE_HOST.length()) + "_")
                .anyMatch(service -> name.startsWith(service)
                        && SERVICE_LINK.matcher(name.substring(service.length())).matches());
    }

    static String message(Set<String> unknown, Set<String> known) {
        return "Unknown environment variable" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                + ": no setting has that name (misspelt?). The service's settings are " + String.join(", ", known)
                + ".";
    }

    /** The name MicroProfile Config reads a property from in the environment: upper case, other characters as _. */
    static String environmentName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }
}
