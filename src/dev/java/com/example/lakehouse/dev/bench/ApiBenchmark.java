package com.example.lakehouse.dev.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.serve.ApiServer;
import com.example.lakehouse.table.Tables;

/**
 * Viewers of the live page against the API: each viewer makes the page's four calls at once every
 * {@link #PAGE_REFRESH}, as the page does, from a random start; the ingest (fed ordinary traffic) and Trino run
 * on the same machine. Reports, per number of viewers, the requests answered a second, their latency and the
 * Trino queries the API ran a second.
 */
public final class ApiBenchmark {
    /** The live page's refresh. */
    static final Duration PAGE_REFRESH = Duration.ofSeconds(3);
    /** The page's calls, as live.html makes them. */
    private static final List<String> PAGE_CALLS = List.of("realtime-total", "realtime-hour?id=dau",
            "realtime-hour?id=order_amount", "daily?days=30");

    private record Phase(int viewers, long requests, long errors, double seconds, List<Long> latencyMicros, long trinoQueries) {
        long percentileMillis(double fraction) {
            return Percentiles.of(latencyMicros, fraction) / 1000;
        }
    }

    private ApiBenchmark() {
    }

    /** `bench api`: Kafka, the ingest, Trino and the API under {@code workDir}, then each number of viewers in turn. */
    public static void report(LakehouseConfig base, Tables tables, Path workDir, List<Integer> viewerCounts, int seconds,
                              int otherMessagesPerSecond) throws Exception {
        LakehouseConfig withTables = base.toBuilder().tableRoot(workDir.resolve("tables"))
                .checkpointRoot(workDir.resolve("checkpoints")).build();
        List<Phase> phases = new ArrayList<>();
        try (LiveIngest ingest = LiveIngest.start(withTables, tables, workDir.resolve("run"), "bench-api", otherMessagesPerSecond,
                     false);
             ApiServer api = ApiServer.start(ingest.config(), tables, "127.0.0.1", 0)) {
            view(api, 1, Duration.ofSeconds(10)); // warm-up: Trino's first queries plan and load the tables
            for (int viewers : viewerCounts) {
                phases.add(view(api, viewers, Duration.ofSeconds(seconds)));
            }
        }
        System.out.printf("| viewers | requests/s | errors | p50 ms | p95 ms | max ms | Trino queries/s |%n");
        System.out.printf("|---|---|---|---|---|---|---|%n");
        for (Phase phase : phases) {
            System.out.printf("| %d | %.1f | %d | %d | %d | %d | %.2f |%n", phase.viewers(), phase.requests() / phase.seconds(),
                    phase.errors(), phase.percentileMillis(0.5), phase.percentileMillis(0.95), phase.percentileMillis(1.0),
                    phase.trinoQueries() / phase.seconds());
        }
    }

    /** {@code viewers} pages refreshing for {@code duration}; each viewer starts at a random moment of its first refresh. */
    private static Phase view(ApiServer api, int viewers, Duration duration) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicLong errors = new AtomicLong();
        long queriesBefore = api.queriesRun();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        ExecutorService pages = Executors.newFixedThreadPool(viewers); // a thread per viewer, as a browser tab is
        try {
            for (int viewer = 0; viewer < viewers; viewer++) {
                long offset = ThreadLocalRandom.current().nextLong(PAGE_REFRESH.toNanos());
                pages.submit(() -> {
                    for (long due = start + offset; due < end; due += PAGE_REFRESH.toNanos()) {
                        Thread.sleep(Math.max(0, (due - System.nanoTime()) / 1_000_000));
                        refreshPage(http, api.uri(), latencies, errors);
                    }
                    return null;
                });
            }
        } finally {
            pages.shutdown();
        }
        if (!pages.awaitTermination(duration.toSeconds() + 60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("viewers still waiting a minute after the end");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Phase(viewers, latencies.size(), errors.get(), seconds, List.copyOf(latencies), api.queriesRun() - queriesBefore);
    }

    /** The page's four calls at once, each timed from its send to its whole answer. */
    private static void refreshPage(HttpClient http, URI api, List<Long> latencies, AtomicLong errors) {
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        for (String call : PAGE_CALLS) {
            long sent = System.nanoTime();
            HttpRequest request = HttpRequest.newBuilder(api.resolve(call)).timeout(Duration.ofSeconds(30)).build();
            calls.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((answer, failure) -> {
                latencies.add((System.nanoTime() - sent) / 1000);
                if (failure != null || answer.statusCode() != 200) {
                    errors.incrementAndGet();
                }
                return null;
            }));
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
    }
}
