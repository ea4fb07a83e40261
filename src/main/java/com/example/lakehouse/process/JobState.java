package com.example.lakehouse.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;

/**
 * What a background job last said about itself, one line in {@code <run-dir>/<job>.state}: running since
 * when, stopped when, or died when and why. `start` waits for "running" and `status` reports a death
 * with its cause, which the pid file alone cannot tell.
 */
public final class JobState {
    public enum Phase { RUNNING, STOPPED, DIED }

    /** One state line: when it was written, the phase, and for a death its cause. */
    public record Entry(Instant at, Phase phase, String detail) {
        public String describe() {
            return switch (phase) {
                case RUNNING -> "running since " + at;
                case STOPPED -> "stopped at " + at;
                case DIED -> "died at " + at + ": " + detail;
            };
        }
    }

    private final Path file;

    public JobState(Path runDir, String job) {
        this.file = runDir.resolve(job + ".state");
    }

    /**
     * Replaces the line at once, through a file of this write's own: a job's stop writes from its shutdown hook and
     * from its main thread at the same moment, and with one shared temporary name the second write found it moved
     * away, failed, and its job recorded a death.
     */
    public void write(Phase phase, String detail) {
        String line = Instant.now() + " " + phase + (detail == null ? "" : " " + detail.replaceAll("\\s+", " "));
        try {
            Files.createDirectories(file.getParent());
            // named by process and thread: Files.createTempFile would make the state readable by its owner alone
            Path next = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + "."
                    + Thread.currentThread().getId() + ".next");
            try {
                Files.writeString(next, line, StandardCharsets.UTF_8);
                Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(next);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public Optional<Entry> read() {
        try {
            if (!Files.exists(file)) {
                return Optional.empty();
            }
            String[] parts = Files.readString(file, StandardCharsets.UTF_8).strip().split(" ", 3);
            return Optional.of(new Entry(Instant.parse(parts[0]), Phase.valueOf(parts[1]), parts.length > 2 ? parts[2] : null));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
