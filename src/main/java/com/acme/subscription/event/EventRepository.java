package com.acme.subscription.event;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.acme.subscription.common.Page;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;

/**
 * Reads the outbox in keyset pages, newest first by seq (idx_events_profile_seq and
 * idx_events_type_seq serve the filters). Events are written by {@link EventSql#append} only.
 */
@ApplicationScoped
public class EventRepository implements PanacheRepositoryBase<Event, Long> {

    /** One page; the caller opens the session. */
    public Uni<Page<Event>> page(EventFilter filter, Page.Request page) {
        List<String> where = new ArrayList<>(List.of("seq < :before"));
        Parameters parameters = Parameters.with("before", page.before());
        if (filter.profileId() != null) {
            where.add("profileId = :profileId");
            parameters.and("profileId", filter.profileId());
        }
        if (filter.type() != null) {
            where.add("type = :type");
            parameters.and("type", filter.type());
        }
        if (filter.since() != null) {
            where.add("time >= :since");
            parameters.and("since", filter.since());
        }
        return find(String.join(" and ", where) + " order by seq desc", parameters)
                .range(0, page.fetch() - 1).list()
                .map(events -> Page.of(page, events, event -> event.seq, event -> event));
    }
}
