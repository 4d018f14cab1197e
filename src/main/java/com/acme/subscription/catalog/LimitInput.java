package com.acme.subscription.catalog;

import jakarta.validation.constraints.PositiveOrZero;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Body {@code {"limit": int or null}}: null is unlimited and must be said explicitly,
 * so a missing {@code limit} is refused rather than read as unlimited.
 */
@Schema(name = "LimitInput")
public class LimitInput {

    private Integer limit;
    @Schema(hidden = true)
    private boolean limitGiven;

    @JsonProperty("limit")
    @PositiveOrZero
    @Schema(required = true, nullable = true, description = "null is unlimited (say it explicitly), 0 disabled")
    public Integer getLimit() {
        return limit;
    }

    @JsonProperty("limit")
    public void setLimit(Integer limit) {
        this.limit = limit;
        this.limitGiven = true;
    }

    /** False when the body had no {@code limit} at all. */
    @Schema(hidden = true)
    public boolean limitGiven() {
        return limitGiven;
    }
}
