package com.acme.subscription.activity;

import jakarta.enterprise.context.ApplicationScoped;

import com.acme.subscription.common.Page;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/** Reading the activity log. */
@ApplicationScoped
public class ActivityService {

    private final ActivityRepository entries;
    private final ObjectMapper json;

    public ActivityService(ActivityRepository entries, ObjectMapper json) {
        this.entries = entries;
        this.json = json;
    }

    @WithSession
    public Uni<Page<ActivityView>> page(ActivityFilter filter, Page.Request page) {
        return entries.page(filter, page).map(found -> new Page<>(
                found.items().stream().map(entry -> ActivityView.from(entry, json)).toList(), found.nextCursor()));
    }
}
