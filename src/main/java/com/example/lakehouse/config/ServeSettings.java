package com.example.lakehouse.config;

import java.time.Duration;

/**
 * serve.*: the interface and port `lakehouse serve` listens on (127.0.0.1, or 0.0.0.0 for every interface), and
 * how often each of its answers is computed again at most, however many viewers ask.
 */
public record ServeSettings(String host, int port, Duration refreshInterval) {
    static ServeSettings from(ConfigValues values) {
        return new ServeSettings(values.required(ConfigKeys.SERVE_HOST), values.port(ConfigKeys.SERVE_PORT),
                Duration.ofMillis(values.positiveLong(ConfigKeys.SERVE_REFRESH_MILLIS)));
    }
}
