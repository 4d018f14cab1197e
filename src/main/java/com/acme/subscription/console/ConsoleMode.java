package com.acme.subscription.console;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.LaunchMode;

/**
 * How people get into the console here: through the configured OpenID Connect provider, with the dev
 * key (dev and test mode without a provider), or not at all (a packaged service without a provider).
 */
@ApplicationScoped
public class ConsoleMode {

    static final String PATH = "/console";
    static final String DEV_SIGN_IN = PATH + "/dev-sign-in";
    static final String SIGNED_OUT = PATH + "/signed-out";

    private final boolean providerConfigured;
    private final boolean devKeyAllowed;

    public ConsoleMode(@ConfigProperty(name = ConsoleSignInConfigSourceFactory.AUTH_SERVER_URL) Optional<String> authServerUrl) {
        this.providerConfigured = authServerUrl.filter(url -> !url.isBlank()).isPresent();
        // DevSignIn is built into dev and test mode only; the launch mode says which one runs
        this.devKeyAllowed = LaunchMode.current().isDevOrTest();
    }

    boolean enabled() {
        return providerConfigured || devKeyAllowed;
    }

    boolean devSignIn() {
        return !providerConfigured && devKeyAllowed;
    }
}
