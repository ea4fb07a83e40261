package com.example.lakehouse.job;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataType;

import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.format.KafkaMessages;
import com.example.lakehouse.format.applog.AppLogTransforms;
import com.example.lakehouse.kafka.KafkaTopics;
import com.example.lakehouse.sink.StreamBatch;
import com.example.lakehouse.sink.TableSink;
import com.example.lakehouse.source.KafkaSource;
import com.example.lakehouse.table.TableDef;
import com.example.lakehouse.table.Tables;

/**
 * Streaming ingest of the app_log topic in two queries over the same records: the archive query keeps every
 * new message in ods_app_log and quarantines bad ones in ods_rejected, on ingest.trigger; the live query keeps
 * today's active devices current in dws_dau_device_live, on the shorter ingest.live-trigger. A batch of the
 * live query is one write, so today's figures wait for one Delta commit cycle rather than three, while the
 * archive's larger batches pay its two tables' commits less often.
 */
public final class AppLogIngestJob {
    /** The archive query; the name of the job (its state and log files) too. */
    public static final String QUERY_NAME = "ingest_app_log";
    public static final String LIVE_QUERY_NAME = "ingest_app_log_live";
    /** Partitions of the topic when the ingest (or the demo) creates it. */
    public static final int TOPIC_PARTITIONS = 2;

    private final String topic;
    private final TableSink sink;
    private final List<TableDef> written;
    private final TableDef appLog;
    private final TableDef rejected;
    private final TableDef live;
    private final DataType logType;

    /**
     * A job reading {@code topic} into its tables of {@code tables}, writing through {@code sink}; tests may pass their
     * own sink.
     */
    public AppLogIngestJob(Tables tables, String topic, TableSink sink) {
        this.topic = topic;
        this.sink = sink;
        this.written = tablesWritten(tables);
        this.appLog = tables.odsAppLog();
        this.rejected = tables.odsRejected();
        this.live = tables.dwsDauDeviceLive();
        this.logType = tables.appLogType();
    }

    /** The tables the ingest writes. */
    public static List<TableDef> tablesWritten(Tables tables) {
        return List.of(tables.odsAppLog(), tables.odsRejected(), tables.dwsDauDeviceLive());
    }

    /** The production job: the configured topic into Delta tables under the configured root. */
    public static AppLogIngestJob intoDelta(SparkSession spark, LakehouseConfig config, Tables tables) {
        return new AppLogIngestJob(tables, config.kafka().appLogTopic(), StreamingJobs.deltaSink(spark, config));
    }

    /**
     * `lakehouse ingest logs`: the production job in a process of its own, until stopped, or until Kafka is drained
     * when the trigger is available-now. The topic is created if missing, so the ingest can start before the first
     * producer.
     */
    public static void run(LakehouseConfig config, Tables tables, Trigger trigger) throws Exception {
        StreamingJobs.run(config, tables, QUERY_NAME, spark -> {
            KafkaTopics.ensure(config.kafka().bootstrapServers(), config.kafka().appLogTopic(), TOPIC_PARTITIONS);
            intoDelta(spark, config, tables).runQueries(spark, config, trigger);
        });
    }

    /**
     * The pipeline: both queries at once, the archive on {@code trigger}, the live one on the live trigger, until
     * they end; with an available-now trigger, both drain what the topic holds now.
     */
    public void runQueries(SparkSession spark, LakehouseConfig config, Trigger trigger) throws Exception {
        Trigger live = trigger.equals(Trigger.AvailableNow()) ? trigger : config.ingest().liveTrigger();
        StreamingJobs.runTogether(spark, () -> startLive(spark, config, live), () -> startArchive(spark, config, trigger));
    }

    /** Starts the archive query over the job's topic, from where its checkpoint left off. */
    public StreamingQuery startArchive(SparkSession spark, LakehouseConfig config, Trigger trigger) throws TimeoutException {
        return startOnTopic(spark, config, QUERY_NAME, trigger, this::writeBatch);
    }

    /** Starts the live query over the job's topic, from where its own checkpoint left off. */
    public StreamingQuery startLive(SparkSession spark, LakehouseConfig config, Trigger trigger) throws Exception {
        return StreamingJobs.inLivePool(spark, () -> startOnTopic(spark, config, LIVE_QUERY_NAME, trigger, this::writeLive));
    }

    private StreamingQuery startOnTopic(SparkSession spark, LakehouseConfig config, String name, Trigger trigger,
                                        Consumer<Dataset<Row>> write) throws TimeoutException {
        sink.createMissing(written);
        return StreamingJobs.startForeachBatch(name, config, KafkaSource.stream(spark, config, topic), trigger, write);
    }

    /**
     * One archive micro-batch, two idempotent writes at the same time (a re-run of the batch changes nothing):
     * the new messages into ods_app_log and the rejected ones into ods_rejected.
     */
    public void writeBatch(Dataset<Row> kafkaRecords) {
        withValidated(kafkaRecords, this::writeArchive);
    }

    /**
     * One live micro-batch: each device's first activity of the day in the batch, appended to dws_dau_device_live
     * without reading it. The table's row of a device and day is its earliest, so a replay, a duplicate or a
     * later activity appended beside it changes nothing, and the append of a batch run again is skipped.
     */
    public void writeLive(Dataset<Row> kafkaRecords) {
        // every delivery, not the first of each: the live SELECT's ranking of a device's activities makes one
        // row of identical copies, so the shuffle that picks first deliveries would cost a stage for nothing.
        // Read once, by that SELECT: nothing to cache.
        appendFirstActivities(AppLogTransforms.appLogRows(AppLogTransforms.validate(kafkaRecords), logType),
                StreamBatch.current(kafkaRecords.sparkSession()));
    }

    /**
     * What both queries write for {@code kafkaRecords}, at the same time as the two queries run: records handed
     * over directly (tests, benchmarks).
     */
    public void writeBoth(Dataset<Row> kafkaRecords) {
        Optional<StreamBatch> batch = StreamBatch.current(kafkaRecords.sparkSession()); // this thread's, not the writers'
        withValidated(kafkaRecords, validated -> ConcurrentWrites.run(List.<Runnable>of(() -> appendFirstActivities(validated.accepted(), batch),
                () -> writeArchive(validated)), Runnable::run));
    }

    /**
     * The records validated, one delivery of each message, and the accepted ones among them; both cached while
     * {@code writes} run, since the archive's two writes (and the live one beside them) read them.
     */
    private record Validated(Dataset<Row> all, Dataset<Row> accepted) {
    }

    private void withValidated(Dataset<Row> kafkaRecords, Consumer<Validated> writes) {
        // acceptedAppLogs with the first deliveries cached between: one pass over the records, one shuffle, builds both
        Dataset<Row> validated = KafkaMessages.firstDeliveries(AppLogTransforms.validate(kafkaRecords)).persist();
        Dataset<Row> accepted = AppLogTransforms.appLogRows(validated, logType).persist();
        try {
            writes.accept(new Validated(validated, accepted));
        } finally {
            accepted.unpersist();
            validated.unpersist();
        }
    }

    private void appendFirstActivities(Dataset<Row> accepted, Optional<StreamBatch> batch) {
        sink.appendCandidates(live, SqlJob.selectOverMicroBatch(live, Map.of(appLog, accepted)), batch);
    }

    private void writeArchive(Validated records) {
        ConcurrentWrites.run(List.of(
                () -> sink.insertNew(appLog, records.accepted()),
                () -> sink.insertNew(rejected, KafkaMessages.rejectedDeliveries(records.all(), AppLogTransforms.SOURCE))),
                Runnable::run);
    }
}
