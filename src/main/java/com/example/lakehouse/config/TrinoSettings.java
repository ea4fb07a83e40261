package com.example.lakehouse.config;

import java.nio.file.Path;

/**
 * trino.*: the Trino that `query`, `dashboard` and `serve` read through; its catalog's delta_lake connector
 * reads the table root. {@code javaHome} is the JDK a local Trino runs on (Trino needs a newer Java than Spark).
 */
public record TrinoSettings(String host, int port, String catalog, String user, Path javaHome) {
    static TrinoSettings from(ConfigValues values) {
        return new TrinoSettings(values.required(ConfigKeys.TRINO_HOST), values.port(ConfigKeys.TRINO_PORT),
                values.required(ConfigKeys.TRINO_CATALOG), values.required(ConfigKeys.TRINO_USER),
                ProjectHome.resolve(values.required(ConfigKeys.TRINO_JAVA_HOME)));
    }
}
