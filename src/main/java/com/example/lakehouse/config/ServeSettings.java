package com.example.lakehouse.config;

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
        return values.secret(ConfigKeys.SERVE_TOKEN, ConfigKeys.SERVE_TOKEN_FILE).map(ServeSettings::checked);
    }

    /**
     * A token a client can send: the server reads header bytes as ISO-8859-1 and a browser refuses other characters
     * in a header, so anything but printable ASCII (no spaces, no second line) could never match.
     */
    private static String checked(String token) {
        if (!token.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
            throw new ConfigException("config key '" + ConfigKeys.SERVE_TOKEN + "' (or the file of '" + ConfigKeys.SERVE_TOKEN_FILE
                    + "'): the token must be printable ASCII without spaces");
        }
        return token;
    }

    @Override
    public String toString() { // a record would print the token
        return "ServeSettings[host=" + host + ", port=" + port + ", refreshInterval=" + refreshInterval
                + ", token=" + (token.isPresent() ? "(set)" : "(none)") + "]";
    }
}
