package com.example.lakehouse.job;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.hadoop.util.ShutdownHookManager;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What every long-running ingest shares: progress logging and a graceful stop on SIGTERM. */
public final class StreamingJobs {
    private static final Logger LOG = LoggerFactory.getLogger(StreamingJobs.class);
    /** Runs before Spark's own hook (priority 40 in Hadoop's manager), while the SparkContext is alive. */
    private static final int BEFORE_SPARK_SHUTDOWN = 100;

    private StreamingJobs() {
    }

    /** Logs one line per finished micro-batch. */
    public static void logProgress(SparkSession spark) {
        spark.streams().addListener(new StreamingQueryListener() {
            @Override
            public void onQueryStarted(QueryStartedEvent event) {
                LOG.info("query {} started", event.name());
            }

            @Override
            public void onQueryProgress(QueryProgressEvent event) {
                var progress = event.progress();
                if (progress.numInputRows() > 0) {
                    LOG.info("{} batch {}: {} records in {} ms", progress.name(), progress.batchId(),
                            progress.numInputRows(), progress.batchDuration());
                }
            }

            @Override
            public void onQueryTerminated(QueryTerminatedEvent event) {
                LOG.info("query {} stopped", event.id());
            }
        });
    }

    /**
     * Blocks until the query ends. On SIGTERM (`lakehouse stop`), lets the running micro-batch finish
     * (up to {@code graceSeconds}) and then stops the query. Stopping mid-batch would also be safe, since
     * a batch is re-run from the checkpoint and its MERGE is idempotent, but this avoids the wasted work.
     */
    public static void runUntilStopped(StreamingQuery query, long graceSeconds) throws StreamingQueryException {
        ShutdownHookManager.get().addShutdownHook(() -> stopBetweenBatches(query, graceSeconds),
                BEFORE_SPARK_SHUTDOWN, graceSeconds + 5, TimeUnit.SECONDS);
        query.awaitTermination();
    }

    private static void stopBetweenBatches(StreamingQuery query, long graceSeconds) {
        if (!query.isActive()) {
            return;
        }
        LOG.info("stop requested: waiting for the running micro-batch of {}", query.name());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(graceSeconds);
        try {
            while (query.status().isTriggerActive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            query.stop();
        } catch (InterruptedException | TimeoutException e) {
            Thread.currentThread().interrupt();
        }
    }
}
