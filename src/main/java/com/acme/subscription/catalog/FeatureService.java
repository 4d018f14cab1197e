package com.acme.subscription.catalog;

import java.time.Clock;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.acme.subscription.common.Upserted;
import com.acme.subscription.common.error.ApiException;
import com.acme.subscription.common.error.NotFound;
import com.acme.subscription.common.error.PgErrors;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class FeatureService {

    private final FeatureRepository features;
    private final CatalogCache catalog;
    private final Clock clock;

    public FeatureService(FeatureRepository features, CatalogCache catalog, Clock clock) {
        this.features = features;
        this.catalog = catalog;
        this.clock = clock;
    }

    public Uni<List<Feature>> list() {
        return catalog.current().map(Catalog::features);
    }

    public Uni<Feature> get(String id) {
        return catalog.current().map(c -> c.feature(id).orElseThrow(() -> NotFound.feature(id)));
    }

    public Uni<Upserted<Feature>> upsert(String id, FeatureInput input) {
        return features.upsert(id, input, clock.instant())
                .invoke(catalog::invalidate)
                .flatMap(created -> get(id).map(feature -> new Upserted<>(feature, created)));
    }

    public Uni<Void> delete(String id) {
        return remove(id)
                .onFailure(PgErrors::isStillReferenced)
                .transform(e -> ApiException.conflict("feature_in_use", "Feature '" + id
                        + "' has usage or overrides; retire it with active=false instead."))
                .invoke(catalog::invalidate)
                .map(deleted -> {
                    if (!deleted) {
                        throw NotFound.feature(id);
                    }
                    return null;
                });
    }

    /** Usage counters and overrides hold a feature by foreign key: the delete fails when the transaction flushes. */
    @WithTransaction
    Uni<Boolean> remove(String id) {
        return features.deleteById(id);
    }
}
