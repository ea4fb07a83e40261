package com.example.lakehouse.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * serve.*: the interface and port `lakehouse serve` listens on (127.0.0.1, or 0.0.0.0 for every interface), how
 * often each of its answers is computed again at most, however many viewers ask, and the bearer token its figures
 * need, if any (given as serve.token, e.g. from the LAKEHOUSE_SERVE_TOKEN variable, or in the file serve.token-file).
 */
public record ServeSettings(String host, int port, Duration refreshInterval, Optional<String> token) {
    static ServeSettings from(ConfigValues values) {
        return new ServeSettings(values.required(ConfigKeys.SERVE_HOST), values.port(ConfigKeys.SERVE_PORT),
                Duration.ofMillis(values.positiveLong(ConfigKeys.SERVE_REFRESH_MILLIS)), token(values));
    }

    /** The token, never echoed: an error says which key or file is wrong, not what it holds. */
    private static Optional<String> token(ConfigValues values) {
        Optional<String> token = values.optional(ConfigKeys.SERVE_TOKEN);
        Optional<String> file = values.optional(ConfigKeys.SERVE_TOKEN_FILE);
        if (token.isPresent() && file.isPresent()) {
            throw new ConfigException("config keys '" + ConfigKeys.SERVE_TOKEN + "' and '" + ConfigKeys.SERVE_TOKEN_FILE
                    + "' are both set; set one");
        }
        if (file.isEmpty()) {
            return token;
        }
        try {
            String fromFile = Files.readString(Path.of(file.get()), StandardCharsets.UTF_8).trim();
            if (fromFile.isEmpty()) {
                throw new ConfigException("config key '" + ConfigKeys.SERVE_TOKEN_FILE + "': " + file.get() + " is empty");
            }
            return Optional.of(fromFile);
        } catch (IOException e) {
            throw new ConfigException("config key '" + ConfigKeys.SERVE_TOKEN_FILE + "': cannot read " + file.get()
                    + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    @Override
    public String toString() { // a record would print the token
        return "ServeSettings[host=" + host + ", port=" + port + ", refreshInterval=" + refreshInterval
                + ", token=" + (token.isPresent() ? "(set)" : "(none)") + "]";
    }
}
