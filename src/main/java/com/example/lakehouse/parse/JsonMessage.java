package com.example.lakehouse.parse;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A Kafka message read as a JSON object, or the reason it is not one; the first check of every validator. */
record JsonMessage(JsonNode root, String problem) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static JsonMessage read(byte[] message) {
        if (message == null || message.length == 0) {
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
}
