package com.example.lakehouse.dev.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import com.example.lakehouse.config.ConfigException;
import com.example.lakehouse.config.ConfigKeys;
import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.dev.demo.Demo;

/**
 * The demo's tables copied into a benchmark's folder: a benchmark that runs an ingest as a user does measures it
 * on tables that already hold data, and leaves the demo's own as they were.
 */
final class DemoCopy {
    private DemoCopy() {
    }

    /** Copies the configured table root (the demo's) to {@code workDir}/tables; fails with one line if it is empty. */
    static Path tables(LakehouseConfig config, Path workDir) throws IOException {
        Path demoTables = Demo.localRoot(ConfigKeys.TABLE_ROOT, config.storage().tableRoot());
        boolean empty;
        try (Stream<Path> entries = Files.isDirectory(demoTables) ? Files.list(demoTables) : Stream.empty()) {
            empty = entries.findAny().isEmpty();
        }
        if (empty) {
            throw new ConfigException(demoTables + " holds no tables; run bin/lakehouse demo first");
        }
        Path copy = workDir.resolve("tables");
        try (Stream<Path> files = Files.walk(demoTables)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = copy.resolve(demoTables.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        return copy;
    }
}
