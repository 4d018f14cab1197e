package com.acme.subscription.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects what the running service logs at WARN and above, from every thread, while it is
 * installed: a handler on the root logger (JBoss LogManager, whose WARN and ERROR are
 * java.util.logging's WARNING and SEVERE), added after the service started and its logging was set up.
 */
public final class LogRecords extends Handler implements AutoCloseable {

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    private LogRecords() {
        setLevel(Level.WARNING);
    }

    /** Starts collecting; {@link #close()} stops. */
    public static LogRecords collect() {
        LogRecords handler = new LogRecords();
        Logger.getLogger("").addHandler(handler);
        return handler;
    }

    @Override
    public void publish(LogRecord record) {
        if (isLoggable(record)) {
            records.add(record);
        }
    }

    /** The records so far whose logger is {@code category} or below it. */
    public List<LogRecord> from(String category) {
        return records.stream().filter(r -> r.getLoggerName() != null
                && (r.getLoggerName().equals(category) || r.getLoggerName().startsWith(category + "."))).toList();
    }

    /** The records so far at {@code level} or above. */
    public List<LogRecord> atLeast(Level level) {
        return records.stream().filter(r -> r.getLevel().intValue() >= level.intValue()).toList();
    }

    /** One line per record, for assertion messages. */
    public static String describe(List<LogRecord> found) {
        StringBuilder text = new StringBuilder();
        for (LogRecord r : found) {
            text.append('\n').append(r.getLevel()).append(' ').append(r.getLoggerName()).append(": ")
                    .append(r.getMessage()).append(r.getThrown() == null ? "" : " " + r.getThrown());
        }
        return text.toString();
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}
