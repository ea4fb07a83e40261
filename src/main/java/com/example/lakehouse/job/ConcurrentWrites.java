package com.example.lakehouse.job;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
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
 * write starts once the writes it waits for have finished, those with the longest chain of writes
 * waiting on them first; the first failure is rethrown as it was, and the writes not yet started are
 * cancelled.
 */
final class ConcurrentWrites {
    /** Writes at once: enough to keep two cores busy while others commit. */
    static final int THREADS = 3;

    private ConcurrentWrites() {
    }

    /** Runs {@code write} for each of {@code targets}, each after those of them it {@code waitsFor}. */
    static <T> void run(List<T> targets, Function<T, ? extends Collection<T>> waitsFor, Consumer<T> write) {
        ExecutorService threads = Executors.newFixedThreadPool(Math.min(THREADS, Math.max(1, targets.size())));
        Map<T, CompletableFuture<Void>> writes = new LinkedHashMap<>();
        try {
            for (T target : longestChainFirst(targets, waitsFor)) {
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

    /**
     * {@code targets} in the order to start them: the longer the chain of targets waiting on one, the
     * sooner, so the critical path starts while the threads are free (a table that three others wait on
     * before three that nothing reads). A target always comes after those it waits for, whose chains are
     * longer; ties keep their order.
     */
    static <T> List<T> longestChainFirst(List<T> targets, Function<T, ? extends Collection<T>> waitsFor) {
        Map<T, Integer> chains = new HashMap<>();
        return targets.stream().sorted(Comparator.comparingInt((T target) -> chain(target, targets, waitsFor, chains))
                .reversed()).toList();
    }

    /** The number of targets on the longest chain that starts at {@code target}, itself included. */
    private static <T> int chain(T target, List<T> targets, Function<T, ? extends Collection<T>> waitsFor,
                                 Map<T, Integer> chains) {
        Integer known = chains.get(target);
        if (known == null) {
            known = 1 + targets.stream().filter(other -> other != target && waitsFor.apply(other).contains(target))
                    .mapToInt(waiting -> chain(waiting, targets, waitsFor, chains)).max().orElse(0);
            chains.put(target, known);
        }
        return known;
    }

    /** Runs {@code write} for each of {@code targets}, all independent. */
    static <T> void run(List<T> targets, Consumer<T> write) {
        run(targets, target -> List.of(), write);
    }
}
