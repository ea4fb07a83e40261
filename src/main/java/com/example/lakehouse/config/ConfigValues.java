package com.example.lakehouse.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /** true or false, or empty if not set. */
    Optional<Boolean> optionalBoolean(String key) {
        return optional(key).map(value -> {
            if (!value.equals("true") && !value.equals("false")) {
                throw new ConfigException("config key '" + key + "' must be true or false, got '" + value + "'");
            }
            return Boolean.parseBoolean(value);
        });
    }

    /**
     * A secret given either as the value of {@code key} (e.g. from a LAKEHOUSE_* variable) or as the content of
     * the file named by {@code fileKey}, which keeps it out of the configuration and the environment. An error
     * says which key or file is wrong, never what it holds.
     */
    Optional<String> secret(String key, String fileKey) {
        Optional<String> value = optional(key);
        Optional<String> file = optional(fileKey);
        if (value.isPresent() && file.isPresent()) {
            throw new ConfigException("config keys '" + key + "' and '" + fileKey + "' are both set; set one");
        }
        if (file.isEmpty()) {
            return value;
        }
        Path path = ProjectHome.resolve(file.get());
        if (!Files.isRegularFile(path)) {
            throw new ConfigException("config key '" + fileKey + "': " + path + " does not exist");
        }
        try {
            String fromFile = Files.readString(path, StandardCharsets.UTF_8).strip();
            if (fromFile.isEmpty()) {
                throw new ConfigException("config key '" + fileKey + "': " + path + " is empty");
            }
            return Optional.of(fromFile);
        } catch (IOException e) {
            throw new ConfigException("config key '" + fileKey + "': cannot read " + path + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** An optional path (relative ones under the project folder) that must name a readable file when set. */
    Optional<Path> optionalFile(String key) {
        return optional(key).map(value -> {
            Path path = ProjectHome.resolve(value);
            if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
                throw new ConfigException("config key '" + key + "': no readable file at " + path);
            }
            return path;
        });
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
