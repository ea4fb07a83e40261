package com.example.lakehouse.job;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.example.lakehouse.config.LakehouseConfig;

/**
 * Keeps each named query's {@link StreamProgress} beside its checkpoint: when it starts, after each of its
 * micro-batches, every {@link #HEARTBEAT} while it runs (Spark does not report a query that has had no data
 * since it started), and when it stops. So a running query that is silent for long is one whose JVM died (a kill,
 * a lost machine) or cannot reach the checkpoint's storage. The handlers and the heartbeat take turns, so a
 * heartbeat never writes over a newer report or over a stop.
 */
final class StreamProgressKeeper extends StreamingQueryListener {
    static final Duration HEARTBEAT = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(StreamProgressKeeper.class);

    private final LakehouseConfig config;
    private final BooleanSupplier stopRequested;
    private final Map<UUID, String> running = new ConcurrentHashMap<>();
    private final Map<String, StreamProgress> kept = new ConcurrentHashMap<>();

    /** {@code stopRequested} tells a query that ends because it was asked to stop from one that failed. */
    StreamProgressKeeper(LakehouseConfig config, BooleanSupplier stopRequested) {
        this.config = config;
        this.stopRequested = stopRequested;
        ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "stream-progress-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        heartbeat.scheduleWithFixedDelay(this::beat, HEARTBEAT.toMillis(), HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void onQueryStarted(QueryStartedEvent event) {
        if (event.name() != null) {
            running.put(event.id(), event.name());
            keep(StreamProgress.started(event.name(), StreamProgress.read(config, event.name()), Instant.now()));
        }
    }

    @Override
    public synchronized void onQueryProgress(QueryProgressEvent event) {
        String name = event.progress().name();
        if (name != null) {
            keep(StreamProgress.after(Optional.ofNullable(kept.get(name)), event.progress(), Instant.now()));
        }
    }

    @Override
    public synchronized void onQueryTerminated(QueryTerminatedEvent event) {
        // a stop request ends a query by failing the batch that would start after it: a clean stop
        boolean failed = event.exception().isDefined() && !stopRequested.getAsBoolean();
        Optional.ofNullable(running.remove(event.id())).map(kept::get).ifPresent(last ->
                keep(last.stopped(Instant.now(), failed ? event.exception().get() : null)));
    }

    private synchronized void beat() {
        running.values().forEach(name -> Optional.ofNullable(kept.get(name))
                .ifPresent(last -> keep(last.reported(Instant.now()))));
    }

    private void keep(StreamProgress progress) {
        try {
            progress.write(config);
            kept.put(progress.query(), progress);
        } catch (RuntimeException e) { // monitoring must not stop the stream
            LOG.warn("{}: cannot keep its progress: {}", progress.query(), e.getMessage());
        }
    }
}
