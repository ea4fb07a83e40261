package com.example.lakehouse.config;

import java.util.Map;
import java.util.Optional;

/** The raw key/value pairs of a configuration, read with one check per kind of value; errors name the key. */
record ConfigValues(Map<String, String> values) {
    String required(String key) {
        String value = values.get(key);
        if (value == null || value.isBlank()) {
            throw new ConfigException("config key '" + key + "' is missing or empty");
        }
        return value.trim();
    }

    /** A value that may be left empty. */
    Optional<String> optional(String key) {
        String value = values.getOrDefault(key, "").trim();
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    long positiveLong(String key) {
        String value = required(key);
        try {
            long number = Long.parseLong(value);
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ConfigException("config key '" + key + "' must be a positive whole number, got '" + value + "'");
    }

    int port(String key) {
        long port = positiveLong(key);
        if (port > 65_535) {
            throw new ConfigException("config key '" + key + "' must be a port number (1-65535), got '" + port + "'");
        }
        return (int) port;
    }
}
