package com.example.lakehouse.config;

import java.net.URI;
import java.nio.file.Path;

/**
 * Where things live: the table and checkpoint roots as URI strings without a trailing slash ({@code file:/...}
 * or {@code s3a://...}), and the run directory of pid, log and local server files. A relative path is taken
 * from the project folder, not from wherever the command was started.
 */
public record StorageSettings(String tableRoot, String checkpointRoot, Path runDir) {
    static StorageSettings from(ConfigValues values) {
        return new StorageSettings(toUri(ConfigKeys.TABLE_ROOT, values.required(ConfigKeys.TABLE_ROOT)),
                toUri(ConfigKeys.CHECKPOINT_ROOT, values.required(ConfigKeys.CHECKPOINT_ROOT)),
                ProjectHome.resolve(values.required(ConfigKeys.RUN_DIR)));
    }

    private static String toUri(String key, String location) {
        String trimmed = location.replaceAll("/+$", "");
        try {
            if (URI.create(trimmed.replace(" ", "%20")).getScheme() != null) {
                return trimmed;
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigException("config key '" + key + "' must be a path or a URI such as s3a://bucket/prefix, got '"
                    + location + "'");
        }
        return ProjectHome.resolve(trimmed).toUri().toString().replaceAll("/+$", "");
    }
}
