package com.acme.subscription.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a feature is limited. {@code quota} behaves as {@code count} with larger amounts. */
public enum LimitType {
    @JsonProperty("count")
    COUNT,
    @JsonProperty("boolean")
    BOOLEAN,
    @JsonProperty("quota")
    QUOTA;

    public String wire() {
        return name().toLowerCase();
    }

    public boolean metered() {
        return this != BOOLEAN;
    }

    @jakarta.persistence.Converter(autoApply = true)
    public static class Converter implements jakarta.persistence.AttributeConverter<LimitType, String> {
        @Override
        public String convertToDatabaseColumn(LimitType type) {
            return type == null ? null : type.wire();
        }

        @Override
        public LimitType convertToEntityAttribute(String column) {
            return column == null ? null : LimitType.valueOf(column.toUpperCase());
        }
    }
}
