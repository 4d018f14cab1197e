package com.acme.subscription.common.error;

import java.time.Duration;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.event.Event;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.acme.subscription.common.time.Timestamps;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;

import io.quarkus.hibernate.validator.runtime.jaxrs.ResteasyReactiveViolationException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Renders every failure as {@code application/problem+json} with a stable {@code code}.
 * Anything unforeseen is a 500 {@code internal_error} (a bug by definition, so it is logged).
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    private static final Duration DATABASE_PROBE_TIMEOUT = Duration.ofSeconds(1);
    private static final Pattern ENUM_VALUES = Pattern.compile("Enum class: \\[([^\\]]*)]");
    /** The parser's words for a field named twice in one object (STRICT_DUPLICATE_DETECTION). */
    private static final Pattern DUPLICATE_FIELD = Pattern.compile("Duplicate field '(.*)'");

    private final Pool pool;
    private final Event<DatabaseUnavailable.Noticed> databaseLost;
    private final UnavailableLog unavailableLog;

    public ProblemMappers(Pool pool, Event<DatabaseUnavailable.Noticed> databaseLost, UnavailableLog unavailableLog) {
        this.pool = pool;
        this.databaseLost = databaseLost;
        this.unavailableLog = unavailableLog;
    }

    @ServerExceptionMapper
    public Response api(ApiException e, UriInfo uri) {
        Response response = problem(e.status(), e.code(), e.getMessage(), uri, e.extensions());
        Object retryAfter = e.extensions().get("retryAfter");
        return retryAfter == null ? response
                : Response.fromResponse(response).header(HttpHeaders.RETRY_AFTER, retryAfter).build();
    }

    @ServerExceptionMapper({ ConstraintViolationException.class, ResteasyReactiveViolationException.class })
    public Response violations(ConstraintViolationException e, UriInfo uri) {
        List<FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new FieldError(fieldOf(v), v.getMessage()))
                .sorted(Comparator.comparing(FieldError::field).thenComparing(FieldError::message))
                .toList();
        return validationFailed(errors, uri);
    }

    /** Every Jackson type Quarkus maps on its own is named, so that this mapper wins for all of them. */
    @ServerExceptionMapper({ JacksonException.class, JsonProcessingException.class, JsonMappingException.class,
            MismatchedInputException.class, InvalidFormatException.class, InvalidTypeIdException.class,
            ValueInstantiationException.class, JsonParseException.class, StreamReadException.class,
            InputCoercionException.class, DatabindException.class })
    public Response unreadableJson(JacksonException e, UriInfo uri) {
        return validationFailed(jsonErrors(e), uri);
    }

    /** A body Jackson cannot build a reader for is a bug (logged); Quarkus' own mapper answers an empty 500. */
    @ServerExceptionMapper
    public Response undefinedReader(InvalidDefinitionException e, UriInfo uri) {
        return internalError(e, uri);
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, UriInfo uri) {
        return unauthenticated(uri);
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, UriInfo uri) {
        return unauthenticated(uri);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return problem(403, "forbidden", "This token may not do that.", uri, Map.of());
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        // Quarkus REST reports an unreadable body as a 400 caused by Jackson
        Optional<JacksonException> json = causeOf(e, JacksonException.class);
        if (status == 400 && json.isPresent()) {
            return validationFailed(jsonErrors(json.get()), uri);
        }
        if (status == 400) {
            return validationFailed(List.of(), uri);
        }
        return switch (status) {
            case 404 -> problem(404, "not_found", "There is no such resource.", uri, Map.of());
            case 405 -> problem(405, "method_not_allowed", "This method is not allowed here.", uri, Map.of());
            case 406 -> problem(406, "not_acceptable", "This resource answers application/json.", uri, Map.of());
            case 415 -> problem(415, "unsupported_media_type", "Send application/json.", uri, Map.of());
            default -> status >= 500 ? internalError(e, uri)
                    : problem(status, "http_" + status, e.getMessage(), uri, Map.of());
        };
    }

    /**
     * A failure nobody foresaw: a 400 when PostgreSQL could not store a value of the request
     * ({@link PgErrors#unstorableValue}), 503 when it came from losing the database (recognised by
     * its cause, or, for the many shapes a cut connection can take, by asking the database right
     * now), else a 500 - a bug.
     */
    @ServerExceptionMapper
    public Uni<Response> unexpected(Throwable e, UriInfo uri) {
        Optional<String> unstorable = PgErrors.unstorableValue(e);
        if (unstorable.isPresent()) {
            return Uni.createFrom().item(problem(400, Problem.VALIDATION_FAILED, unstorable.get(), uri, Map.of()));
        }
        if (DatabaseUnavailable.isCause(e)) {
            return Uni.createFrom().item(unavailable(e, uri));
        }
        if (PgErrors.isTryAgain(e)) {
            // the database is there: not a loss of it, only this transaction was ended
            LOG.warnf("%s met another transaction in a deadlock and was rolled back; answered 503 to be retried: %s",
                    uri.getRequestUri().getRawPath(), e.getMessage());
            return Uni.createFrom().item(problem(503, "unavailable",
                    "The request met another one changing the same data at the same moment; nothing was changed; "
                            + "try again.", uri, Map.of()));
        }
        return pool.query(DatabaseUnavailable.PROBE).execute()
                .ifNoItem().after(DATABASE_PROBE_TIMEOUT).fail()
                .map(reachable -> internalError(e, uri))
                .onFailure().recoverWithItem(unreachable -> unavailable(e, uri));
    }

    private Response unavailable(Throwable e, UriInfo uri) {
        databaseLost.fire(new DatabaseUnavailable.Noticed());
        unavailableLog.unavailable(uri.getRequestUri().getRawPath(), e);
        return problem(503, "unavailable", "The database is unavailable; try again shortly.", uri, Map.of());
    }

    private static Response internalError(Throwable e, UriInfo uri) {
        LOG.errorf(e, "Unexpected failure serving %s", uri.getRequestUri().getRawPath());
        return problem(500, "internal_error", "An unexpected error occurred.", uri, Map.of());
    }

    private static Response unauthenticated(UriInfo uri) {
        return Response.fromResponse(problem(401, "unauthorized",
                "A valid bearer token for this service is required.", uri, Map.of()))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .build();
    }

    private static Response validationFailed(List<FieldError> errors, UriInfo uri) {
        Map<String, Object> extensions = errors.isEmpty() ? Map.of() : Map.of("errors", errors);
        return problem(400, Problem.VALIDATION_FAILED, "The request is not valid.", uri, extensions);
    }

    private static Response problem(int status, String code, String detail, UriInfo uri, Map<String, Object> extensions) {
        return Problem.of(status, code, detail, uri == null ? null : uri.getRequestUri().getRawPath(), extensions)
                .toResponse();
    }

    private static List<FieldError> jsonErrors(JacksonException e) {
        Matcher duplicate = DUPLICATE_FIELD.matcher(String.valueOf(e.getOriginalMessage()));
        if (e instanceof StreamReadException && duplicate.matches()) {
            return List.of(new FieldError(duplicate.group(1), "is given more than once"));
        }
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            return List.of(new FieldError(jsonPath(mapping.getPath()), jsonMessage(mapping)));
        }
        if (e instanceof JsonMappingException) {
            return List.of(new FieldError("body", "must be a JSON object of the documented shape"));
        }
        return List.of(new FieldError("body", "is not well-formed JSON"));
    }

    /** What a JSON value should have been, in JSON's words: Jackson's own messages name Java types. */
    static String jsonMessage(JsonMappingException e) {
        if (e.getCause() instanceof InputCoercionException) {
            return "is out of range";
        }
        Class<?> target = e instanceof MismatchedInputException mismatch ? mismatch.getTargetType() : null;
        if (target == null) {
            return "has the wrong type";
        }
        if (target.isEnum()) {
            // Jackson lists the accepted names as the JSON spells them: "... Enum class: [count, boolean]"
            Matcher accepted = ENUM_VALUES.matcher(String.valueOf(e.getOriginalMessage()));
            return accepted.find() ? "must be one of " + accepted.group(1) : "is not one of the accepted values";
        }
        if (target == String.class) {
            return StrictJsonCustomizer.StorableText.MESSAGE.equals(e.getOriginalMessage())
                    ? StrictJsonCustomizer.StorableText.MESSAGE : "must be a string";
        }
        if (target == Integer.class || target == int.class || target == Long.class || target == long.class) {
            return "must be an integer";
        }
        if (target == Boolean.class || target == boolean.class) {
            return "must be true or false";
        }
        if (Temporal.class.isAssignableFrom(target)) {
            return Timestamps.EXPECTED;
        }
        if (Collection.class.isAssignableFrom(target) || target.isArray()) {
            return "must be an array";
        }
        return "must be a JSON object";
    }

    private static String jsonPath(List<JsonMappingException.Reference> path) {
        StringBuilder field = new StringBuilder();
        for (JsonMappingException.Reference ref : path) {
            if (ref.getFieldName() != null) {
                if (!field.isEmpty()) {
                    field.append('.');
                }
                field.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                field.append('[').append(ref.getIndex()).append(']');
            }
        }
        return field.isEmpty() ? "body" : field.toString();
    }

    /** {@code upsert.arg1.name} becomes {@code name}, a path or query parameter its own name. */
    private static String fieldOf(ConstraintViolation<?> violation) {
        List<String> names = new ArrayList<>();
        String parameter = null;
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.PARAMETER) {
                parameter = node.getName();
            } else if (node.getKind() == ElementKind.PROPERTY || node.getKind() == ElementKind.CONTAINER_ELEMENT) {
                if (node.getName() != null && !node.getName().startsWith("<")) {
                    names.add(node.getName());
                }
            }
        }
        if (!names.isEmpty()) {
            return String.join(".", names);
        }
        return parameter != null ? parameter : "body";
    }

    private static <T extends Throwable> Optional<T> causeOf(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return Optional.of(type.cast(t));
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return Optional.empty();
    }
}
