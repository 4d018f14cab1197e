package com.acme.subscription.profile;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;

/** Profiles' statistics rows (written by registration, logins and the usage statements). */
@ApplicationScoped
public class UserStatsRepository implements PanacheRepositoryBase<UserStats, String> {
}
