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
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * JSON input is taken literally: {@code 1.5}, {@code "1"} or {@code true} is not an integer,
 * {@code 1} is not a boolean or a string, an enum is one of its names, never an index, and a
 * field is named once.
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
