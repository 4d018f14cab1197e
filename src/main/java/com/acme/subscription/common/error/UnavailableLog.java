package com.acme.subscription.common.error;

import java.time.Duration;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

/**
 * Logs the 503s of a database outage: the first one at once, then at most one line a minute, with how
 * many were answered since the line before (each one at DEBUG). An outage meets every request, and a
 * WARN per request would bury everything else in the log; the status of every request is in the
 * http_server_requests metrics anyway.
 */
@Singleton
public class UnavailableLog {

    static final Duration EVERY = Duration.ofMinutes(1);

    private static final Logger LOG = Logger.getLogger(UnavailableLog.class);

    private boolean reported;
    private long reportedAt;
    private long since;

    public void unavailable(String path, Throwable cause) {
        long now = System.nanoTime();
        long answered;
        synchronized (this) {
            if (reported && now - reportedAt < EVERY.toNanos()) {
                since++;
                answered = -1;
            } else {
                reported = true;
                reportedAt = now;
                answered = since;
                since = 0;
            }
        }
        if (answered < 0) {
            LOG.debugf("Database unavailable while serving %s: %s", path, cause);
        } else if (answered == 0) {
            LOG.warnf("Database unavailable while serving %s: %s", path, cause);
        } else {
            LOG.warnf("Database unavailable while serving %s: %s (%d more requests were answered 503 since the last report)",
                    path, cause, answered);
        }
    }
}
