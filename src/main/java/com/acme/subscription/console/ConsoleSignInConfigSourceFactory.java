package com.acme.subscription.console;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;

/**
 * The console's sign-in follows from one fact: whether an OpenID Connect provider is configured
 * ({@code QUARKUS_OIDC_AUTH_SERVER_URL}). With one, every console path asks for a signed-in user
 * through the authorization code flow (Quarkus answers an anonymous browser with the redirect to the
 * provider). Without one, the OIDC tenant is off (quarkus-oidc would otherwise refuse to start), and
 * the console is either signed into with the dev key (dev mode) or answers 404 ({@link ConsoleAccess}).
 * The values sit below application.properties, so any of them can still be set explicitly. Both
 * branches name the tenant's state: the build records the value it saw, and that must not decide.
 */
public class ConsoleSignInConfigSourceFactory implements ConfigSourceFactory {

    static final String AUTH_SERVER_URL = "quarkus.oidc.auth-server-url";
    private static final int ORDINAL = 150;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        Map<String, String> values = isSet(context.getValue(AUTH_SERVER_URL))
                ? Map.of("quarkus.oidc.tenant-enabled", "true",
                        "quarkus.http.auth.permission.console.paths", "/console,/console/*",
                        "quarkus.http.auth.permission.console.policy", "authenticated",
                        "quarkus.http.auth.permission.console.auth-mechanism", "code")
                : Map.of("quarkus.oidc.tenant-enabled", "false");
        return List.of(new MapBackedConfigSource("console-sign-in", values, ORDINAL) {
        });
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }

    static boolean isSet(ConfigValue value) {
        return value != null && value.getValue() != null && !value.getValue().isBlank();
    }
}
