package com.example.lakehouse.job;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Writes to different tables at the same time in one Spark session (a session takes jobs from several
 * threads): while one write commits to its Delta log or plans, another's tasks use the cores. Each
 * write starts once the writes it waits for have finished; the first failure is rethrown as it was,
 * and the writes not yet started are cancelled.
 */
final class ConcurrentWrites {
    /** Writes at once: enough to keep two cores busy while others commit. */
    static final int THREADS = 3;

    private ConcurrentWrites() {
    }

    /** Runs {@code write} for each of {@code targets} (listed after those they wait for), each after {@code waitsFor}. */
    static <T> void run(List<T> targets, Function<T, ? extends Collection<T>> waitsFor, Consumer<T> write) {
        ExecutorService threads = Executors.newFixedThreadPool(Math.min(THREADS, Math.max(1, targets.size())));
        Map<T, CompletableFuture<Void>> writes = new LinkedHashMap<>();
        try {
            for (T target : targets) {
                CompletableFuture<?>[] upstream = waitsFor.apply(target).stream().map(writes::get)
                        .filter(Objects::nonNull).toArray(CompletableFuture[]::new);
                writes.put(target, CompletableFuture.allOf(upstream).thenRunAsync(() -> write.accept(target), threads));
            }
            CompletableFuture.allOf(writes.values().toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException failed) {
            writes.values().forEach(pending -> pending.cancel(false));
            Throwable cause = failed; // a stage after a failed one wraps the failure once more
            while (cause instanceof CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            throw cause instanceof RuntimeException unchecked ? unchecked : failed;
        } finally {
            threads.shutdown();
        }
    }

    /** Runs {@code write} for each of {@code targets}, all independent. */
    static <T> void run(List<T> targets, Consumer<T> write) {
        run(targets, target -> List.of(), write);
    }
}
