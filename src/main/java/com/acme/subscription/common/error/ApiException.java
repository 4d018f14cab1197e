package com.acme.subscription.common.error;

import java.util.List;
import java.util.Map;

/**
 * A business error that becomes an RFC 9457 problem with a stable {@code code}.
 * Services throw (or fail their Uni with) it; {@link ProblemMappers} renders it.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final transient Map<String, Object> extensions;

    public ApiException(int status, String code, String detail) {
        this(status, code, detail, Map.of());
    }

    public ApiException(int status, String code, String detail, Map<String, Object> extensions) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.extensions = extensions;
    }

    public static ApiException notFound(String code, String detail) {
        return new ApiException(404, code, detail);
    }

    public static ApiException conflict(String code, String detail) {
        return new ApiException(409, code, detail);
    }

    public static ApiException forbidden(String detail) {
        return forbidden("forbidden", detail);
    }

    public static ApiException forbidden(String code, String detail) {
        return new ApiException(403, code, detail);
    }

    public static ApiException invalid(String field, String message) {
        return invalid(List.of(new FieldError(field, message)));
    }

    /** 400 validation_failed blaming each of these fields. */
    public static ApiException invalid(List<FieldError> errors) {
        return new ApiException(400, Problem.VALIDATION_FAILED, "The request is not valid.", Map.of("errors", errors));
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Map<String, Object> extensions() {
        return extensions;
    }
}
