package com.example.lakehouse.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Collectors;

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
import com.example.lakehouse.sink.DeltaSink;
import com.example.lakehouse.source.KafkaSource;
import com.example.lakehouse.table.Tables;

/**
 * What the ingests' queries need beyond Spark's own calls, each for a reason Spark leaves to us:
 * <ul>
 * <li>{@link #startForeachBatch}: one place where every query gets its checkpoint under the checkpoint root, and its
 * micro-batches check for a stop request and run with the Spark settings for their size;</li>
 * <li>{@link #inLivePool}: Spark takes a query's scheduler pool from the thread that starts it;</li>
 * <li>{@link #runTogether}: Spark ends one query at a time, so a query that fails would leave the others of its job
 * running, and a drain waiting on them;</li>
 * <li>{@link #run}: an ingest as a process of its own, with its state for `start` and `status` and a graceful stop on
 * SIGTERM. Spark's {@code query.stop()} interrupts a micro-batch mid-write: safe, since the batch runs again from the
 * checkpoint and every write is idempotent, but its work is lost, and a drain would go on to its next step. So
 * SIGTERM sets a stop flag that every query's next batch checks, and waits for the running batches;</li>
 * <li>{@link #logProgress}: a line per micro-batch in the job's log, and each query's progress beside its checkpoint,
 * where monitoring in another process reads it.</li>
 * </ul>
 */
public final class StreamingJobs {
    private static final Logger LOG = LoggerFactory.getLogger(StreamingJobs.class);
    /** Runs before Spark's own hook (priority 40 in Hadoop's manager), while the SparkContext is alive. */
    private static final int BEFORE_SPARK_SHUTDOWN = 100;
    /**
     * Set by SIGTERM: no micro-batch and no step of a pipeline starts after it. Static, since the batch functions of
     * every query check it; a process runs one ingest job.
     */
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

    /** What an ingest does in the session {@link #run} makes for it: its pipeline, and what must come before it. */
    @FunctionalInterface
    public interface Pipeline {
        void run(SparkSession spark) throws Exception;
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
                    // the query's own session, cloned from the job's when it started
                    SparkSessions.configureForBatch(batch.sparkSession(), config, KafkaSource.recordsIn(batch));
                    writeBatch.accept(batch);
                })
                .start();
    }

    /**
     * The sink an ingest writes its micro-batches with, in {@code spark}, under the configured table root; its folds
     * and compactions run in a session of their own with the SQL jobs' settings ({@link SparkSessions#forBackgroundWork}).
     */
    public static DeltaSink deltaSink(SparkSession spark, LakehouseConfig config) {
        return new DeltaSink(spark, SparkSessions.forBackgroundWork(spark, config), config.storage().tableRoot());
    }

    /**
     * Starts a query whose jobs run in the FAIR scheduler's live pool ({@code fairscheduler.xml}), so that
     * while the archive's or the SQL jobs' tasks queue, a live batch's tasks take the next free core: the
     * query's thread inherits the pool from the thread that starts it.
     */
    public static StreamingQuery inLivePool(SparkSession spark, Callable<StreamingQuery> start) throws Exception {
        SparkContext context = spark.sparkContext();
        String pool = context.getLocalProperty(SCHEDULER_POOL);
        context.setLocalProperty(SCHEDULER_POOL, LIVE_POOL);
        try {
            return start.call();
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
                    LOG.info("{} batch {}: {} records in {} ms ({})", progress.name(), progress.batchId(),
                            progress.numInputRows(), progress.batchDuration(), phases(progress.durationMs()));
                }
            }

            @Override
            public void onQueryTerminated(QueryTerminatedEvent event) {
                LOG.info("query {} stopped", event.id());
            }
        });
        spark.streams().addListener(new StreamProgressKeeper(config, STOP_REQUESTED::get));
    }

    /**
     * Where a micro-batch's time went, by Spark's names for its phases, longest first: addBatch is the batch's
     * writes, latestOffset and getBatch the source's offsets and rows, walCommit and commitOffsets the
     * checkpoint's two files, queryPlanning the plan of the batch's rows.
     */
    static String phases(Map<String, Long> durationMs) {
        return durationMs.entrySet().stream().filter(phase -> !phase.getKey().equals("triggerExecution"))
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(phase -> phase.getKey() + " " + phase.getValue())
                .collect(Collectors.joining(", "));
    }

    /**
     * Runs queries at once until they have all ended: a step of an ingest's pipeline, whose next step starts when this
     * returns (a drain's next step reads what the one before wrote). None starts once a stop is requested; when one
     * cannot start, those started are stopped; the first that fails, unless on a stop request, stops the others.
     */
    @SafeVarargs
    public static void runTogether(SparkSession spark, Callable<StreamingQuery>... starts) throws Exception {
        if (STOP_REQUESTED.get()) {
            return;
        }
        List<StreamingQuery> started = new ArrayList<>();
        try {
            for (Callable<StreamingQuery> start : starts) {
                started.add(start.call());
            }
        } catch (Exception e) {
            stopAll(started, e);
            throw e;
        }
        awaitAll(spark, started);
    }

    /**
     * Runs ingest job {@code name}: {@code pipeline} in a session of its own, with {@code tables} registered, until
     * it returns or a SIGTERM (`lakehouse stop`) stops it, keeping the job's state in the run directory ({@link JobState}: running once its
     * first query has read its sources' offsets, then stopped, or died with the cause, also when it dies before a query
     * starts). On SIGTERM, the running micro-batches finish (up to {@code jobs.stop-timeout-seconds}), no other starts,
     * and no further step of the pipeline, also in an available-now drain.
     */
    public static void run(LakehouseConfig config, Tables tables, String name, Pipeline pipeline) throws Exception {
        JobState state = new JobState(config.storage().runDir(), name);
        try {
            SparkSession spark = SparkSessions.createForIngest(config, name, tables.all());
            logProgress(spark, config);
            reportRunning(spark, state);
            long graceSeconds = config.ingest().stopTimeout().toSeconds();
            ShutdownHookManager.get().addShutdownHook(
                    () -> stopBetweenBatches(List.of(spark.streams().active()), graceSeconds, state),
                    BEFORE_SPARK_SHUTDOWN, graceSeconds + 5, TimeUnit.SECONDS);
            pipeline.run(spark);
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
    private static void stopAll(List<StreamingQuery> queries, Exception cause) {
        for (StreamingQuery query : queries) {
            try {
                query.stop();
            } catch (TimeoutException | RuntimeException stopFailed) {
                cause.addSuppressed(stopFailed);
            }
        }
    }

    /**
     * Records the job as running once the first query it starts has got past reading its sources' offsets (a missing
     * topic or an unreachable broker fails there). Spark tells a listener of a start before {@code start()} returns, but
     * reports progress only when a batch ends, which a large first batch takes minutes to: a thread watches the query.
     */
    private static void reportRunning(SparkSession spark, JobState state) {
        AtomicBoolean watching = new AtomicBoolean();
        spark.streams().addListener(new StreamingQueryListener() {
            @Override
            public void onQueryStarted(QueryStartedEvent event) {
                if (watching.compareAndSet(false, true)) {
                    // Spark calls this on the query's own thread once it is registered: the query is active
                    StreamingQuery query = spark.streams().get(event.id());
                    Thread watcher = new Thread(() -> reportWhenRunning(query, state), query.name() + "-state");
                    watcher.setDaemon(true);
                    watcher.start();
                }
            }

            @Override
            public void onQueryProgress(QueryProgressEvent event) {
            }

            @Override
            public void onQueryTerminated(QueryTerminatedEvent event) {
            }
        });
    }

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
