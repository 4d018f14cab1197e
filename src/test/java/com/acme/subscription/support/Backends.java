package com.acme.subscription.support;

import java.io.IOException;
import java.util.List;

/**
 * The PostgreSQL backends of the service's own connections, found by their {@code application_name},
 * and a way to make one fall silent: a stopped backend process neither answers nor closes its
 * connection, while the kernel still acknowledges what is sent to it, as a database does that
 * vanished behind a NAT or a failover without a reset.
 */
public final class Backends {

    private Backends() {
    }

    /** The backends of connections named {@code applicationName}, other than {@code except}. */
    public static List<Long> of(String applicationName, long except) {
        return Database.query("SELECT pid FROM pg_stat_activity WHERE application_name = ? AND pid <> ? ORDER BY pid",
                applicationName, (int) except).stream().map(row -> ((Number) row.get("pid")).longValue()).toList();
    }

    /** The one backend of connections named {@code applicationName}. */
    public static long only(String applicationName) {
        List<Long> pids = of(applicationName, 0);
        if (pids.size() != 1) {
            throw new AssertionError("not one backend named " + applicationName + ": " + pids);
        }
        return pids.get(0);
    }

    /** Stops the backend until the answer is closed. */
    public static AutoCloseable silence(long pid) {
        signal("STOP", pid);
        return () -> signal("CONT", pid);
    }

    private static void signal(String signal, long pid) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
