package com.acme.subscription.usage;

import java.time.Instant;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.acme.subscription.catalog.ResetPeriod;
import com.acme.subscription.common.Counts;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

/** Usage counters read through their entity; every change to one is a statement of {@link UsageSql}. */
@ApplicationScoped
public class FeatureUsageRepository implements PanacheRepositoryBase<FeatureUsage, String> {

    /**
     * The counters of the current period summed by feature. A counter whose period has ended
     * counts 0, as in {@link UsageSql} (its row is rolled over by the next change or reset-usage).
     */
    static final String CURRENT_TOTALS = """
            select u.featureId, sum(u.usageCount) from FeatureUsage u join Feature f on f.id = u.featureId
            where f.resetPeriod = :never or u.resetAt > :now group by u.featureId""";

    /** The caller opens the session. */
    public Uni<Map<String, Long>> currentTotals(Instant now) {
        return getSession().flatMap(session -> session.createSelectionQuery(CURRENT_TOTALS, Object[].class)
                .setParameter("never", ResetPeriod.NEVER).setParameter("now", now).getResultList())
                .map(rows -> Counts.byKey(rows, String.class::cast));
    }
}
