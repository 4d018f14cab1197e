package com.acme.subscription.support;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.acme.subscription.catalog.CatalogCache;

/** Records the catalog notifications this replica receives, so that a test waits for one instead of sleeping. */
@ApplicationScoped
public class CatalogNotifications {

    private final BlockingQueue<CatalogCache.Changed> received = new LinkedBlockingQueue<>();
    private final CatalogCache cache;

    public CatalogNotifications(CatalogCache cache) {
        this.cache = cache;
    }

    void on(@Observes CatalogCache.Changed changed) {
        received.add(changed);
    }

    /** Waits until the replica keeps its copy again (a test before may have cut its connection). */
    public void awaitListening() {
        Waiting.within(Duration.ofSeconds(10)).until(cache::listening);
    }

    /**
     * Waits for a notification of the table, passing over others: a test before may have changed
     * the settings a moment ago, and its notification may still arrive after clear().
     */
    public boolean await(String table, long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        for (long left = unit.toNanos(timeout); left > 0; left = deadline - System.nanoTime()) {
            CatalogCache.Changed changed = received.poll(left, TimeUnit.NANOSECONDS);
            if (changed == null) {
                return false;
            }
            if (changed.table().equals(table)) {
                return true;
            }
        }
        return false;
    }

    public void clear() {
        received.clear();
    }
}
