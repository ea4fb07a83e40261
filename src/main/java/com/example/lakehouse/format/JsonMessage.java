package com.example.lakehouse.format;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * A Kafka message read as a JSON object, or the reason it is not one; the first check of every validator.
 * Numbers are read as written (BigDecimal, never a double), so an amount passes through exactly.
 */
public record JsonMessage(JsonNode root, String problem) {
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    public static JsonMessage read(byte[] message) {
        if (message == null) {
            return new JsonMessage(null, "null value (a Kafka tombstone)");
        }
        if (message.length == 0) {
            return new JsonMessage(null, "empty message");
        }
        JsonNode root;
        try {
            root = JSON.readTree(message);
        } catch (JsonParseException e) {
            return new JsonMessage(null, "invalid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            return new JsonMessage(null, "invalid JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            return new JsonMessage(null, "not a JSON object");
        }
        return new JsonMessage(root, null);
    }

    /** A node as JSON text, numbers as read. */
    public static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
