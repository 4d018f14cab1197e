package com.acme.subscription.catalog;

import jakarta.validation.constraints.PositiveOrZero;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Body {@code {"limit": int or null}}: null is unlimited and must be said explicitly,
 * so a missing {@code limit} is refused rather than read as unlimited.
 */
public class LimitInput {

    private Integer limit;
    private boolean limitGiven;

    @JsonProperty("limit")
    @PositiveOrZero
    public Integer getLimit() {
        return limit;
    }

    @JsonProperty("limit")
    public void setLimit(Integer limit) {
        this.limit = limit;
        this.limitGiven = true;
    }

    /** False when the body had no {@code limit} at all. */
    @JsonIgnore
    public boolean isLimitGiven() {
        return limitGiven;
    }
}
