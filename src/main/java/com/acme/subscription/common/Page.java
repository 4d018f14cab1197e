package com.acme.subscription.common;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.acme.subscription.common.error.ApiException;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A page of an unbounded collection: {@code {"items": [...], "nextCursor": "..." | null}}.
 * Pages are ordered by a monotonic key (a sequence), newest first, so every item that
 * existed when the first page was read appears exactly once, even while new ones arrive.
 */
@RegisterForReflection
public record Page<T>(List<T> items,
        @Schema(nullable = true, description = "Pass as cursor for the next page; null on the last page") String nextCursor) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    /** What a page request asks for: at most {@code limit} items with keys below {@code before}. */
    public record Request(int limit, long before) {

        /** One more row than the page holds tells whether another page follows. */
        public int fetch() {
            return limit + 1;
        }
    }

    public static Request request(String limit, String cursor) {
        int size = DEFAULT_LIMIT;
        if (limit != null) {
            if (!limit.matches("[1-9][0-9]{0,2}") || Integer.parseInt(limit) > MAX_LIMIT) {
                throw ApiException.invalid("limit", "must be an integer from 1 to " + MAX_LIMIT);
            }
            size = Integer.parseInt(limit);
        }
        return new Request(size, cursor == null ? Long.MAX_VALUE : decode(cursor));
    }

    /** Builds the page from up to {@code fetch()} rows ordered by key, newest first. */
    public static <R, T> Page<T> of(Request request, List<R> rows, Function<R, Long> key, Function<R, T> item) {
        boolean more = rows.size() > request.limit();
        List<R> page = more ? rows.subList(0, request.limit()) : rows;
        String next = more ? encode(key.apply(page.get(page.size() - 1))) : null;
        return new Page<>(page.stream().map(item).toList(), next);
    }

    private static String encode(long key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("k:" + key).getBytes(StandardCharsets.UTF_8));
    }

    private static long decode(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (text.matches("k:[0-9]{1,18}")) {
                return Long.parseLong(text.substring(2));
            }
        } catch (IllegalArgumentException e) {
            // falls through to the 400 below
        }
        throw ApiException.invalid("cursor", "is not a cursor this service issued");
    }
}
