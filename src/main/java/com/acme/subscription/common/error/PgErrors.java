package com.acme.subscription.common.error;

import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vertx.pgclient.PgException;

/** Reads PostgreSQL's answer out of a failure, wherever the reactive stack wrapped it. */
public final class PgErrors {

    public static final String UNIQUE_VIOLATION = "23505";
    public static final String FOREIGN_KEY_VIOLATION = "23503";
    public static final String CHECK_VIOLATION = "23514";
    /** A delete refused by an ON DELETE RESTRICT foreign key. */
    public static final String RESTRICT_VIOLATION = "23001";
    /** A value a function refused, such as a time zone PostgreSQL does not know. */
    public static final String INVALID_PARAMETER_VALUE = "22023";
    /** PostgreSQL ended the transaction to break a circle of waits, or to keep it serializable. */
    private static final Set<String> TRY_AGAIN = Set.of("40P01", "40001");
    /** Text PostgreSQL cannot store: a NUL character (\\u0000) in a text or a JSON value. */
    private static final Set<String> UNSTORABLE_TEXT = Set.of("22021", "22P05");

    private PgErrors() {
    }

    /** What PostgreSQL refused: its SQLSTATE and, where it names one, the constraint. */
    public record Refusal(String sqlState, String constraint) {
    }

    private static final Pattern CONSTRAINT = Pattern.compile("constraint \"([^\"]+)\"");

    /**
     * PostgreSQL's refusal in a failure: from the reactive client's PgException (statements), or
     * from the SQLException that Hibernate Reactive turns it into (entities), which keeps the
     * SQLSTATE and the message that names the constraint.
     */
    public static Optional<Refusal> find(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PgException pg) {
                return Optional.of(new Refusal(pg.getSqlState(), pg.getConstraint()));
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                Matcher named = CONSTRAINT.matcher(String.valueOf(sql.getMessage()));
                return Optional.of(new Refusal(sql.getSQLState(), named.find() ? named.group(1) : null));
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return Optional.empty();
    }

    /** True when PostgreSQL refused the statement with this SQLSTATE (and, if given, this constraint). */
    public static boolean is(Throwable failure, String sqlState, String constraint) {
        return find(failure)
                .filter(refusal -> sqlState.equals(refusal.sqlState()))
                .filter(refusal -> constraint == null || constraint.equals(refusal.constraint()))
                .isPresent();
    }

    /**
     * True when PostgreSQL ended the transaction because it met another one in a circle of waits
     * (a deadlock) or for serializability: nothing of it was written, and the same request sent again
     * succeeds. The API answers 503, which clients retry, rather than 500.
     */
    public static boolean isTryAgain(Throwable failure) {
        return find(failure).map(Refusal::sqlState).filter(TRY_AGAIN::contains).isPresent();
    }

    public static boolean is(Throwable failure, String sqlState) {
        return is(failure, sqlState, null);
    }

    /**
     * Why PostgreSQL could not store a value the request carried, in the caller's words, or empty
     * when the failure is something else. JSON and Java accept a NUL character in any text, so it
     * reaches the database wherever a text is stored; it is bad input (400), not a fault of the service.
     */
    public static Optional<String> unstorableValue(Throwable failure) {
        return find(failure).map(Refusal::sqlState).filter(UNSTORABLE_TEXT::contains)
                .map(state -> "A text in the request holds a character that cannot be stored (\\u0000).");
    }

    /** True when a delete was refused because other rows still reference the row. */
    public static boolean isStillReferenced(Throwable failure) {
        return is(failure, RESTRICT_VIOLATION) || is(failure, FOREIGN_KEY_VIOLATION);
    }

    /** True when a delete was refused because rows hold it by this foreign key. */
    public static boolean isStillReferencedBy(Throwable failure, String constraint) {
        return is(failure, RESTRICT_VIOLATION, constraint) || is(failure, FOREIGN_KEY_VIOLATION, constraint);
    }
}
