package com.example.lakehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/** What a streaming query's checkpoint says: how many micro-batches it has committed. */
public final class Checkpoints {
    private Checkpoints() {
    }

    /** Committed micro-batches of the query whose checkpoint folder is {@code checkpoint}. */
    public static long committed(Path checkpoint) {
        Path commits = checkpoint.resolve("commits");
        if (!Files.isDirectory(commits)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(commits)) {
            return files.filter(file -> file.getFileName().toString().matches("\\d+")).count();
        } catch (IOException e) {
            return 0; // the query is writing it; the next look counts again
        }
    }

    /** Waits until {@code condition} holds, failing the test with {@code what} after {@code timeout}. */
    public static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
