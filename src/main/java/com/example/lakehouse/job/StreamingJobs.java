package com.example.lakehouse.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

import org.apache.hadoop.util.ShutdownHookManager;
import org.apache.spark.SparkContext;
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
import com.example.lakehouse.process.JobState;

/**
 * What every long-running ingest shares: progress logging, its state for `start` and `status`, and a
 * graceful stop on SIGTERM.
 */
public final class StreamingJobs {
    private static final Logger LOG = LoggerFactory.getLogger(StreamingJobs.class);
    /** Runs before Spark's own hook (priority 40 in Hadoop's manager), while the SparkContext is alive. */
    private static final int BEFORE_SPARK_SHUTDOWN = 100;
    /** Set by SIGTERM: no micro-batch starts after it (one ingest job per JVM). */
    private static final AtomicBoolean STOP_REQUESTED = new AtomicBoolean();
    /** The FAIR scheduler pool of the live queries, declared in fairscheduler.xml. */
    private static final String LIVE_POOL = "live";
    private static final String SCHEDULER_POOL = "spark.scheduler.pool";

    /** Thrown by a micro-batch that would start after a stop request; Spark then ends the query without committing it. */
    private static final class StopRequested extends RuntimeException {
        StopRequested() {
            super("stop requested: this micro-batch runs again on the next start");
        }
    }

    private StreamingJobs() {
    }

    /**
     * Starts query {@code name} over {@code rows}: each micro-batch goes to {@code writeBatch}, with its
     * checkpoint under the checkpoint root. The writes must be idempotent, since a batch whose commit was
     * lost is run again.
     */
    public static StreamingQuery startForeachBatch(String name, LakehouseConfig config, Dataset<Row> rows,
                                                   Trigger trigger, Consumer<Dataset<Row>> writeBatch)
            throws TimeoutException {
        return rows.writeStream()
                .queryName(name)
                .option("checkpointLocation", config.storage().checkpointRoot() + "/" + name)
                .trigger(trigger)
                .foreachBatch((VoidFunction2<Dataset<Row>, Long>) (batch, batchId) -> {
                    if (STOP_REQUESTED.get()) {
                        throw new StopRequested();
                    }
                    writeBatch.accept(batch);
                })
                .start();
    }

    /**
     * Starts a query whose jobs run in the FAIR scheduler's live pool ({@code fairscheduler.xml}), so that
     * while the archive's or the SQL jobs' tasks queue, a live batch's tasks take the next free core: the
     * query's thread inherits the pool from the thread that starts it.
     */
    public static StreamingQuery inLivePool(SparkSession spark, QueryStart start) throws Exception {
        SparkContext context = spark.sparkContext();
        String pool = context.getLocalProperty(SCHEDULER_POOL);
        context.setLocalProperty(SCHEDULER_POOL, LIVE_POOL);
        try {
            return start.start();
        } finally {
            context.setLocalProperty(SCHEDULER_POOL, pool);
        }
    }

    /**
     * Logs one line per finished micro-batch, and keeps each query's {@link StreamProgress} beside its checkpoint,
     * where monitoring reads it.
     */
    public static void logProgress(SparkSession spark, LakehouseConfig config) {
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
        spark.streams().addListener(new StreamProgressKeeper(config, STOP_REQUESTED::get));
    }

    /** Starts queries that run at the same time: one stage of a job. */
    @FunctionalInterface
    public interface Stage {
        List<StreamingQuery> start() throws Exception;
    }

    /** Starts one query. */
    @FunctionalInterface
    public interface QueryStart {
        StreamingQuery start() throws Exception;
    }

    /** A stage of the queries {@code starts} starts, in order; when one cannot start, those started are stopped. */
    public static Stage together(List<QueryStart> starts) {
        return () -> {
            List<StreamingQuery> started = new ArrayList<>();
            try {
                for (QueryStart start : starts) {
                    started.add(start.start());
                }
                return started;
            } catch (Exception e) {
                stopAll(started, e);
                throw e;
            }
        };
    }

    /**
     * Runs ingest job {@code name} until it stops, keeping its state in the run directory ({@link JobState}:
     * running once its first query has read its sources' offsets, then stopped, or died with the cause, also
     * when it dies before its query starts). The job is stages, from {@code stages} given the job's
     * session: each stage's queries run at once, and a stage starts when the one before has ended (a
     * drain's next step reads what the step before wrote). The first query that fails stops the others
     * and the job. On SIGTERM (`lakehouse stop`), the running micro-batches finish (up to
     * {@code jobs.stop-timeout-seconds}), no other starts, and no further stage, also in an available-now
     * drain. Stopping mid-batch would also be safe, since a batch is re-run from the checkpoint and its
     * writes are idempotent, but this avoids the wasted work.
     */
    public static void run(LakehouseConfig config, String name, Function<SparkSession, List<Stage>> stages) throws Exception {
        JobState state = new JobState(config.storage().runDir(), name);
        try {
            SparkSession spark = SparkSessions.create(config, name);
            logProgress(spark, config);
            AtomicReference<List<StreamingQuery>> running = new AtomicReference<>(List.of());
            long graceSeconds = config.ingest().stopTimeout().toSeconds();
            ShutdownHookManager.get().addShutdownHook(() -> stopBetweenBatches(running.get(), graceSeconds, state),
                    BEFORE_SPARK_SHUTDOWN, graceSeconds + 5, TimeUnit.SECONDS);
            boolean first = true;
            for (Stage stage : stages.apply(spark)) {
                if (STOP_REQUESTED.get()) {
                    break;
                }
                running.set(stage.start());
                if (first) {
                    StreamingQuery query = running.get().get(0);
                    Thread watcher = new Thread(() -> reportWhenRunning(query, state), query.name() + "-state");
                    watcher.setDaemon(true);
                    watcher.start();
                    first = false;
                }
                awaitAll(spark, running.get());
            }
            state.write(JobState.Phase.STOPPED, null);
        } catch (Exception e) {
            state.write(JobState.Phase.DIED, rootCause(e));
            throw e;
        }
    }

    /** Waits until every query of {@code queries} has ended; the first to fail, unless on a stop request, stops the rest. */
    private static void awaitAll(SparkSession spark, List<StreamingQuery> queries) throws StreamingQueryException,
            TimeoutException {
        while (true) {
            // each query's own exception, read every time: one may have failed before this started waiting,
            // or two may end at once, and one reset forgets both
            Optional<StreamingQueryException> failure = queries.stream().filter(query -> query.exception().isDefined())
                    .map(query -> query.exception().get()).filter(error -> !causedByStopRequest(error)).findFirst();
            if (failure.isPresent()) {
                stopAll(queries, failure.get());
                throw failure.get();
            }
            if (queries.stream().noneMatch(StreamingQuery::isActive)) {
                return;
            }
            try {
                spark.streams().awaitAnyTermination();
            } catch (StreamingQueryException ended) {
                // read at the top of the loop
            }
            spark.streams().resetTerminated();
        }
    }

    /**
     * Stops {@code queries} because of {@code cause}, the error that matters: a query that does not stop in
     * time is recorded on it rather than hiding it.
     */
    public static void stopAll(List<StreamingQuery> queries, Exception cause) {
        for (StreamingQuery query : queries) {
            try {
                query.stop();
            } catch (TimeoutException | RuntimeException stopFailed) {
                cause.addSuppressed(stopFailed);
            }
        }
    }

    /** Running = the query got past reading its sources' offsets (a missing topic or an unreachable broker fails there). */
    private static void reportWhenRunning(StreamingQuery query, JobState state) {
        try {
            while (query.isActive()) {
                String message = query.status().message();
                if (query.lastProgress() != null || message.startsWith("Processing") || message.startsWith("Waiting")) {
                    state.write(JobState.Phase.RUNNING, null);
                    return;
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The JVM halts once the shutdown hooks end, maybe before the main thread records the stop, so this records it too. */
    private static void stopBetweenBatches(List<StreamingQuery> queries, long graceSeconds, JobState state) {
        STOP_REQUESTED.set(true);
        if (queries.stream().noneMatch(StreamingQuery::isActive)) {
            return;
        }
        LOG.info("stop requested: waiting for the running micro-batches of {}",
                queries.stream().map(StreamingQuery::name).toList());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(graceSeconds);
        try {
            while (queries.stream().anyMatch(query -> query.isActive() && query.status().isTriggerActive())
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            for (StreamingQuery query : queries) {
                query.stop();
            }
            state.write(JobState.Phase.STOPPED, null);
        } catch (InterruptedException | TimeoutException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean causedByStopRequest(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof StopRequested) {
                return true;
            }
        }
        return false;
    }

    private static String rootCause(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
