package com.acme.subscription.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The matrix of the catalog as read: tiers, features and cells come from three statements. */
class TierLimitMatrixTest {

    @Test
    void aCellOfATierOrFeatureReadAfterTheListsIsLeftOut() {
        Tier free = new Tier();
        free.id = "free";
        Feature photos = new Feature();
        photos.id = "photos";
        TierLimitMatrix matrix = TierLimitMatrix.of(List.of(free), List.of(photos),
                List.of(cell("free", "photos", 5), cell("gold", "photos", 9), cell("free", "videos", 1)));
        assertEquals(List.of("free"), matrix.tiers());
        assertEquals(Map.of("free", Map.of("photos", 5)), matrix.limits());
    }

    private static TierLimit cell(String tierId, String featureId, Integer limit) {
        TierLimit cell = new TierLimit();
        cell.tierId = tierId;
        cell.featureId = featureId;
        cell.limit = limit;
        return cell;
    }
}
