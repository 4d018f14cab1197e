package com.acme.subscription.common.error;

import java.io.IOException;
import java.time.Instant;

import jakarta.inject.Singleton;

import com.acme.subscription.common.time.Timestamps;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * JSON input is taken literally: {@code 1.5}, {@code "1"} or {@code true} is not an integer,
 * {@code 1} is not a boolean or a string, an enum is one of its names, never an index, and a
 * field is named once. A text holds no NUL character and no lone half of a surrogate pair.
 * A lenient reader would turn bad input into changed data instead of a 400. An instant lies in
 * the years 0000 to 9999 ({@link Timestamps#parse}).
 */
@Singleton
public class StrictJsonCustomizer implements ObjectMapperCustomizer {

    /** After Quarkus' own customizers, which register Jackson's JavaTimeModule: the last registered reader of a type wins. */
    @Override
    public int priority() {
        return MINIMUM_PRIORITY;
    }

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        mapper.enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
        // {"amount": 1, "amount": 2} is no amount: refused, not read as its last value (or as a bug of
        // Jackson's for a record, which has no field to set the second one to)
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        for (CoercionInputShape shape : new CoercionInputShape[] { CoercionInputShape.String,
                CoercionInputShape.Float, CoercionInputShape.Boolean, CoercionInputShape.EmptyString }) {
            mapper.coercionConfigFor(LogicalType.Integer).setCoercion(shape, CoercionAction.Fail);
        }
        for (CoercionInputShape shape : new CoercionInputShape[] { CoercionInputShape.String,
                CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.EmptyString }) {
            mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(shape, CoercionAction.Fail);
        }
        for (CoercionInputShape shape : new CoercionInputShape[] { CoercionInputShape.Integer,
                CoercionInputShape.Float, CoercionInputShape.Boolean }) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Enum).setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        mapper.registerModule(new SimpleModule("instants-in-range").addDeserializer(Instant.class, new InstantsInRange()));
        mapper.registerModule(new SimpleModule("storable-text").addDeserializer(String.class, new StorableText()));
    }

    /**
     * The text of a field read from a JSON tree (a patch), or a 400 naming the field when PostgreSQL
     * could not store it as sent ({@link StorableText}): what the bodies read as records get from Jackson.
     */
    public static String storable(String field, String text) {
        if (text != null && !StorableText.storable(text)) {
            throw ApiException.invalid(field, StorableText.MESSAGE);
        }
        return text;
    }

    /**
     * Jackson's reading of a text, refused when PostgreSQL could not store it as sent: a NUL
     * character ({@code \u0000}), which PostgreSQL refuses, or a lone half of a surrogate pair
     * ({@code "\ud800"}), which would be stored as {@code ?}, a changed value.
     */
    static final class StorableText extends StdScalarDeserializer<String> {

        /** What the API says of such a text ({@link ProblemMappers#jsonMessage}). */
        static final String MESSAGE = "must be text without NUL characters (\\u0000) or lone surrogates";

        StorableText() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String text = StringDeserializer.instance.deserialize(parser, context);
            if (text != null && !storable(text)) {
                throw InvalidFormatException.from(parser, MESSAGE, text, String.class);
            }
            return text;
        }

        static boolean storable(String text) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == 0) {
                    return false;
                }
                if (Character.isHighSurrogate(c)) {
                    if (i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                        return false;
                    }
                    i++;
                } else if (Character.isLowSurrogate(c)) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Jackson's reading of an instant, from a string only (Jackson would also read a number as
     * seconds since 1970), refused outside the years 0000 to 9999, kept to the microsecond.
     */
    static final class InstantsInRange extends StdDeserializer<Instant> {

        InstantsInRange() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (!parser.hasToken(JsonToken.VALUE_STRING)) {
                return (Instant) context.handleUnexpectedToken(Instant.class, parser);
            }
            Instant instant = InstantDeserializer.INSTANT.deserialize(parser, context);
            if (instant != null && !Timestamps.inRange(instant)) {
                return (Instant) context.handleWeirdStringValue(Instant.class, parser.getText(),
                        "outside the years 0000 to 9999");
            }
            return instant == null ? null : Timestamps.kept(instant);
        }
    }
}
