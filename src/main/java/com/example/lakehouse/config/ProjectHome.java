package com.example.lakehouse.config;

import java.nio.file.Path;

/**
 * The project folder, against which relative paths of the configuration and the local servers' install
 * folders (tools/...) are resolved: the lakehouse.home system property that bin/lakehouse sets, else the
 * working directory (Maven's tests, spark-submit).
 */
public final class ProjectHome {
    public static final String PROPERTY = "lakehouse.home";

    private ProjectHome() {
    }

    public static Path dir() {
        return Path.of(System.getProperty(PROPERTY, "")).toAbsolutePath().normalize();
    }

    /** {@code path} if absolute, else under the project folder. */
    public static Path resolve(String path) {
        return dir().resolve(path).normalize();
    }
}
