package com.acme.subscription.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;

/** When a feature's usage counter starts again from 0. */
public enum ResetPeriod {
    @JsonProperty("never")
    NEVER,
    @JsonProperty("daily")
    DAILY,
    @JsonProperty("monthly")
    MONTHLY;

    public String wire() {
        return name().toLowerCase();
    }

    @jakarta.persistence.Converter(autoApply = true)
    public static class Converter implements jakarta.persistence.AttributeConverter<ResetPeriod, String> {
        @Override
        public String convertToDatabaseColumn(ResetPeriod period) {
            return period == null ? null : period.wire();
        }

        @Override
        public ResetPeriod convertToEntityAttribute(String column) {
            return column == null ? null : ResetPeriod.valueOf(column.toUpperCase());
        }
    }
}
