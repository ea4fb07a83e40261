package com.example.lakehouse.config;

/** serve.*: the interface and port `lakehouse serve` listens on (127.0.0.1, or 0.0.0.0 for every interface). */
public record ServeSettings(String host, int port) {
    static ServeSettings from(ConfigValues values) {
        return new ServeSettings(values.required(ConfigKeys.SERVE_HOST), values.port(ConfigKeys.SERVE_PORT));
    }
}
