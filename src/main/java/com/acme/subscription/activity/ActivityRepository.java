package com.acme.subscription.activity;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.acme.subscription.common.Page;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;

/**
 * Reads the activity log in keyset pages, newest first by its monotonic seq (an index serves
 * each filter: idx_activity_log_profile_seq, idx_activity_log_seq_action). Entries are written
 * by {@link ActivityLog}, inside the transaction of the change they record.
 */
@ApplicationScoped
public class ActivityRepository implements PanacheRepositoryBase<ActivityEntry, String> {

    /** One page; the caller opens the session. */
    public Uni<Page<ActivityEntry>> page(ActivityFilter filter, Page.Request page) {
        List<String> where = new ArrayList<>(List.of("seq < :before"));
        Parameters parameters = Parameters.with("before", page.before());
        if (filter.profileId() != null) {
            where.add("profileId = :profileId");
            parameters.and("profileId", filter.profileId());
        }
        if (filter.action() != null) {
            where.add("action = :action");
            parameters.and("action", filter.action());
        }
        if (filter.since() != null) {
            where.add("created >= :since");
            parameters.and("since", filter.since());
        }
        if (filter.until() != null) {
            where.add("created < :until");
            parameters.and("until", filter.until());
        }
        return find(String.join(" and ", where) + " order by seq desc", parameters)
                .range(0, page.fetch() - 1).list()
                .map(entries -> Page.of(page, entries, entry -> entry.seq, entry -> entry));
    }
}
