package com.example.lakehouse.job;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.apache.hadoop.util.ShutdownHookManager;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.Trigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.example.lakehouse.config.LakehouseConfig;

/** What every long-running ingest shares: progress logging and a graceful stop on SIGTERM. */
public final class StreamingJobs {
    private static final Logger LOG = LoggerFactory.getLogger(StreamingJobs.class);
    /** Runs before Spark's own hook (priority 40 in Hadoop's manager), while the SparkContext is alive. */
    private static final int BEFORE_SPARK_SHUTDOWN = 100;

    private StreamingJobs() {
    }

    /**
     * Starts query {@code name} over {@code kafkaRecords}: each micro-batch goes to {@code writeBatch},
     * with its checkpoint under the checkpoint root. The writes must be idempotent, since a batch whose
     * commit was lost is run again.
     */
    public static StreamingQuery startForeachBatch(String name, LakehouseConfig config, Dataset<Row> kafkaRecords,
                                                   Trigger trigger, Consumer<Dataset<Row>> writeBatch)
            throws TimeoutException {
        return kafkaRecords.writeStream()
                .queryName(name)
                .option("checkpointLocation", config.checkpointRoot() + "/" + name)
                .trigger(trigger)
                .foreachBatch((VoidFunction2<Dataset<Row>, Long>) (batch, batchId) -> writeBatch.accept(batch))
                .start();
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
