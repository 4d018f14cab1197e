package com.acme.subscription.support.openapi;

/**
 * One way an HTTP exchange differs from the served OpenAPI document.
 *
 * @param operation the operationId, or "METHOD /template" where the operation has none
 * @param status    the answered status code
 * @param where     what differs: a JSON pointer into the body ("body/items/0/id"), "header Retry-After", "status",
 *                  "content-type", "request ..."
 * @param message   what the document expected, in words
 */
public record Violation(String operation, int status, String where, String message) {

    /** One tab-separated line (the report file's format; tabs and line breaks of the parts become spaces). */
    public String toLine(String test) {
        return String.join("\t", clean(operation), Integer.toString(status), clean(where), clean(message), clean(test));
    }

    @Override
    public String toString() {
        return operation + " -> " + status + " at " + where + ": " + message;
    }

    private static String clean(String s) {
        return s == null ? "" : s.replaceAll("[\\t\\r\\n]+", " ");
    }
}
