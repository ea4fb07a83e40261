package com.example.lakehouse.job;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.UUID;

import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.s3.S3Clients;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The JSON reports the jobs keep for whoever watches the pipeline (the API's {@code /health} and {@code /metrics},
 * {@code lakehouse status --json}): the streams' progress beside their checkpoints, the derived tables' builds beside
 * the tables. Read and written through Hadoop's file systems, so on a local path and on s3a:// alike.
 */
final class ReportFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReportFiles() {
    }

    /** The report at {@code relativePath} under {@code root} (a table or checkpoint root), if one was written. */
    static <T> Optional<T> read(LakehouseConfig config, String root, String relativePath, Class<T> type) {
        Path file = new Path(root, relativePath);
        try {
            FileSystem fs = file.getFileSystem(S3Clients.hadoopConfiguration(config));
            if (!fs.exists(file)) {
                return Optional.empty();
            }
            try (InputStream in = fs.open(file)) {
                return Optional.of(JSON.readValue(in, type));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Replaces the report at {@code relativePath} with {@code report}, whole, so a reader never sees half of it:
     * written aside, then renamed over it; on an object store (s3a:// will not rename over an object), uploaded
     * over it, since an upload appears whole when it completes.
     */
    static void write(LakehouseConfig config, String root, String relativePath, Object report) {
        Path file = new Path(root, relativePath);
        // a name of its own, so two processes replacing one report never rename each other's half-written file
        Path aside = new Path(file.getParent(), "." + file.getName() + "." + UUID.randomUUID() + ".writing");
        try {
            FileSystem fs = file.getFileSystem(S3Clients.hadoopConfiguration(config));
            writeJson(fs, aside, report);
            try {
                if (!fs.rename(aside, file)) { // a file system that will not rename over a file
                    fs.delete(file, false);
                    fs.rename(aside, file);
                }
            } catch (FileAlreadyExistsException objectStore) {
                writeJson(fs, file, report);
                fs.delete(aside, false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void writeJson(FileSystem fs, Path file, Object report) throws IOException {
        try (OutputStream out = fs.create(file, true)) {
            JSON.writeValue(out, report);
        }
    }
}
