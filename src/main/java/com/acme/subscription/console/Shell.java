package com.acme.subscription.console;

/** What every console page shows around its content: who is signed in, where they are, what just happened. */
public record Shell(ConsoleUser user, String section, String notice, String error) {
}
