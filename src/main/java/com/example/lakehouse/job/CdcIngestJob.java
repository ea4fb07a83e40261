package com.example.lakehouse.job;

import static org.apache.spark.sql.functions.col;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.StructType;

import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.format.KafkaMessages;
import com.example.lakehouse.format.maxwell.CdcTransforms;
import com.example.lakehouse.format.maxwell.ChangeVersion;
import com.example.lakehouse.format.maxwell.MaxwellParser;
import com.example.lakehouse.kafka.KafkaTopics;
import com.example.lakehouse.sink.TableSink;
import com.example.lakehouse.sink.Upserts;
import com.example.lakehouse.source.KafkaSource;
import com.example.lakehouse.table.MirrorTable;
import com.example.lakehouse.table.TableDef;
import com.example.lakehouse.table.Tables;

/**
 * Streaming ingest of Maxwell's topic, the role of the seed's BaseDBMaxwellApp, in two queries. The capture,
 * on the short ingest.live-trigger, writes every change into ods_maxwell (bad messages into ods_rejected) and,
 * at the same time, applies the order changes to the one mirror today's figures derive from (ods_order_info,
 * and at once its orders and GMV by hour in dws_order_hour_live, which the API reads), so today's GMV waits for one
 * micro-batch rather than two queries' in turn. The mirror query reads ods_maxwell's new rows as a Delta stream
 * and applies the other tables' changes to their mirrors (ods_user_info, ...) on the longer
 * ingest.mirror-trigger, since every mirror costs a commit per batch however few rows it gets. A running ingest
 * also builds today's day of the order tables again on ingest.today-trigger ({@link TodayBuilds}), for today's
 * breakdowns.
 */
public final class CdcIngestJob {
    public static final String QUERY_NAME = "ingest_cdc";
    public static final String MIRROR_QUERY_NAME = "ingest_cdc_mirrors";
    /**
     * The query that applied the order mirror from ods_maxwell before the capture did: the changes it had not
     * applied yet when it last stopped are applied once from its checkpoint ({@link #finishRetiredOrderMirror}).
     */
    static final String RETIRED_ORDER_MIRROR_QUERY_NAME = "ingest_cdc_live_mirror";
    /** The query building today's day of the order tables again ({@link TodayBuilds}); a drain leaves it to the jobs. */
    public static final String TODAY_QUERY_NAME = "ingest_cdc_today";
    /** The source table whose mirror today's live figures derive from (orders and GMV), kept current by the capture. */
    private static final String LIVE_SOURCE_TABLE = "order_info";
    /** Partitions of the topic when the ingest (or the demo) creates it. */
    public static final int TOPIC_PARTITIONS = 3;

    private final Tables tables;
    private final String database;
    private final String topic;
    private final TableSink sink;
    private final MaxwellParser parser;
    /** The mirror today's live figures derive from (orders and GMV), kept current by the capture. */
    private final MirrorTable liveMirror;
    /** The other mirrors, which the mirror query keeps. */
    private final List<MirrorTable> otherMirrors;
    /** Orders and GMV by hour, computed again from {@link #liveMirror} for the days each capture batch touched. */
    private final TableDef orderHours;

    /**
     * A job applying the changes of the source {@code database}, read from {@code topic}, to its tables of
     * {@code tables} through {@code sink}; tests may pass their own sink.
     */
    public CdcIngestJob(Tables tables, String database, String topic, TableSink sink) {
        this.tables = tables;
        this.database = database;
        this.topic = topic;
        this.sink = sink;
        this.parser = new MaxwellParser(tables.mirrors());
        this.liveMirror = tables.mirrorOf(LIVE_SOURCE_TABLE).orElseThrow();
        this.otherMirrors = tables.mirrors().stream().filter(mirror -> !mirror.equals(liveMirror)).toList();
        this.orderHours = tables.dwsOrderHourLive();
    }

    /** The tables the ingest writes. */
    public static List<TableDef> tablesWritten(Tables tables) {
        return Stream.concat(Stream.of(tables.odsMaxwell(), tables.odsRejected(), tables.dwsOrderHourLive()),
                tables.mirrors().stream().map(MirrorTable::table)).toList();
    }

    /** The production job: the configured source database's changes into Delta tables under the configured root. */
    public static CdcIngestJob intoDelta(SparkSession spark, LakehouseConfig config, Tables tables) {
        return new CdcIngestJob(tables, config.sourceDb().database(), config.kafka().maxwellTopic(),
                StreamingJobs.deltaSink(spark, config));
    }

    /**
     * `lakehouse ingest cdc`: the production job in a process of its own, until stopped, or until Kafka is drained and
     * its changes applied when the trigger is available-now. The topic is created if missing, so the ingest can start
     * before Maxwell.
     */
    public static void run(LakehouseConfig config, Tables tables, Trigger trigger) throws Exception {
        StreamingJobs.run(config, tables, QUERY_NAME, spark -> {
            KafkaTopics.ensure(config.kafka().bootstrapServers(), config.kafka().maxwellTopic(), TOPIC_PARTITIONS);
            intoDelta(spark, config, tables).runQueries(spark, config, trigger);
        });
    }

    /**
     * The pipeline: capture, mirrors and today's builds at once on their triggers, until they end; with an
     * available-now trigger, a drain: the capture, then the mirrors, which apply what it captured. The capture
     * runs on the live trigger, since today's GMV waits for it: a shop's changes are few beside app logs, and a
     * trigger with no new offsets runs no batch, so an idle shop costs little.
     */
    public void runQueries(SparkSession spark, LakehouseConfig config, Trigger trigger) throws Exception {
        if (trigger.equals(Trigger.AvailableNow())) {
            StreamingJobs.runTogether(spark, () -> startCapture(spark, config, trigger));
            StreamingJobs.runTogether(spark, () -> startMirrors(spark, config, trigger));
        } else {
            StreamingJobs.runTogether(spark, () -> startCapture(spark, config, config.ingest().liveTrigger()),
                    () -> startMirrors(spark, config, config.ingest().mirrorTrigger()),
                    () -> TodayBuilds.start(spark, config, tables, TODAY_QUERY_NAME, Tables.ORDERS,
                            config.ingest().todayTrigger()));
        }
    }

    /**
     * Starts the capture query: Maxwell's topic, from where its checkpoint left off, into ods_maxwell, ods_rejected
     * and the order mirror. Before it starts, what the retired order mirror query left is applied, and an empty
     * {@link #orderHours} beside orders (the first start after the table appeared) is filled from the whole mirror.
     */
    public StreamingQuery startCapture(SparkSession spark, LakehouseConfig config, Trigger trigger) throws Exception {
        return StreamingJobs.inLivePool(spark, () -> {
            sink.createMissing(tablesWritten(tables));
            finishRetiredOrderMirror(spark, config);
            fillOrderHoursIfEmpty(spark);
            return StreamingJobs.startForeachBatch(QUERY_NAME, config, KafkaSource.stream(spark, config, topic), trigger,
                    this::writeBatch);
        });
    }

    /**
     * Starts the mirror query: the mirrors but the order mirror, from the rows ods_maxwell gained since its
     * checkpoint. The capture only ever adds files to ods_maxwell (keyed inserts), and OPTIMIZE's commits change no
     * data; a commit that removes rows (a DELETE by hand) is skipped rather than stopping the query.
     */
    public StreamingQuery startMirrors(SparkSession spark, LakehouseConfig config, Trigger trigger) throws TimeoutException {
        sink.createMissing(tablesWritten(tables));
        return startOnCapturedChanges(spark, config, MIRROR_QUERY_NAME, trigger, this::applyToMirrors);
    }

    /**
     * A query from {@code name}'s checkpoint over the rows ods_maxwell gained since, each batch given to {@code apply}.
     */
    private StreamingQuery startOnCapturedChanges(SparkSession spark, LakehouseConfig config, String name,
                                                  Trigger trigger, Consumer<Dataset<Row>> apply)
            throws TimeoutException {
        Dataset<Row> changes = spark.readStream().format("delta").option("skipChangeCommits", "true")
                .load(tables.odsMaxwell().location(config.storage().tableRoot()));
        return StreamingJobs.startForeachBatch(name, config, changes, trigger, apply);
    }

    /**
     * Until 2026-12 a query of its own applied the order mirror from ods_maxwell's new rows; the capture now applies
     * the changes it reads from Kafka. The changes captured before an upgrade that the retired query had not applied
     * yet are applied once here, from its checkpoint, which then goes; without that checkpoint, nothing is done.
     */
    void finishRetiredOrderMirror(SparkSession spark, LakehouseConfig config) throws Exception {
        Path checkpoint = new Path(config.storage().checkpointRoot() + "/" + RETIRED_ORDER_MIRROR_QUERY_NAME);
        FileSystem fs = checkpoint.getFileSystem(spark.sparkContext().hadoopConfiguration());
        if (!fs.exists(checkpoint)) {
            return;
        }
        startOnCapturedChanges(spark, config, RETIRED_ORDER_MIRROR_QUERY_NAME, Trigger.AvailableNow(),
                batch -> applyTo(batch, List.of(liveMirror))).awaitTermination();
        fs.delete(checkpoint, true);
    }

    /**
     * One capture micro-batch, three writes at the same time: the valid changes into ods_maxwell, the bad messages
     * into ods_rejected, and the order changes into the order mirror (and its hours, at once). Each takes only what it
     * lacks, or only newer changes, so a batch cut off half way is simply run again, and the order mirror need not
     * wait for ods_maxwell's commit.
     */
    public void writeBatch(Dataset<Row> kafkaRecords) {
        Dataset<Row> validated = CdcTransforms.validate(kafkaRecords, parser).persist();
        try {
            Dataset<Row> accepted = CdcTransforms.acceptedChanges(validated);
            ConcurrentWrites.run(List.of(
                    () -> sink.insertNew(tables.odsMaxwell(), accepted),
                    () -> sink.insertNew(tables.odsRejected(), KafkaMessages.rejectedMessages(validated, CdcTransforms.SOURCE)),
                    () -> applyTo(accepted, List.of(liveMirror))),
                    Runnable::run);
        } finally {
            validated.unpersist();
        }
    }

    /** Fills {@link #orderHours} from the whole order mirror if it is empty while the mirror holds orders. */
    void fillOrderHoursIfEmpty(SparkSession spark) {
        Dataset<Row> orders = spark.table(liveMirror.table().qualifiedName());
        if (spark.table(orderHours.qualifiedName()).isEmpty() && !orders.isEmpty()) {
            refreshOrderHours(orders);
        }
    }

    /**
     * One batch of the mirror query: rows of ods_maxwell, each captured table's changes applied to its mirror (but
     * the order mirror, which the capture writes), the mirrors at the same time. A mirror first gains any column its
     * source table has gained, and a row changes only for a newer change, so applying a change again (a replay, a
     * batch run twice) changes nothing.
     */
    public void applyToMirrors(Dataset<Row> capturedChanges) {
        applyTo(capturedChanges, otherMirrors);
    }

    /** {@link #applyToMirrors} for {@code mirrors} only, whose rows alone are parsed. */
    private void applyTo(Dataset<Row> capturedChanges, List<MirrorTable> mirrors) {
        Object[] sourceTables = mirrors.stream().map(MirrorTable::sourceTable).toArray();
        Dataset<Row> changes = CdcTransforms.parseCaptured(capturedChanges.where(col("table_name").isin(sourceTables)), parser)
                .persist();
        try {
            Map<String, Set<String>> columnsByTable = CdcTransforms.changedColumns(changes, database)
                    .collectAsList().stream().collect(Collectors.groupingBy(row -> row.getString(0),
                            Collectors.mapping(row -> row.getString(1), Collectors.toSet())));
            List<MirrorTable> changed = mirrors.stream()
                    .filter(mirror -> columnsByTable.containsKey(mirror.sourceTable())).toList();
            ConcurrentWrites.run(changed, mirror -> {
                StructType rowSchema = sink.evolveMirror(mirror, columnsByTable.get(mirror.sourceTable()));
                Dataset<Row> rows = CdcTransforms.mirrorRows(changes, database, mirror, rowSchema);
                if (mirror.equals(liveMirror)) {
                    upsertOrdersWithTheirHours(rows);
                } else {
                    sink.upsertNewer(mirror.table(), rows, ChangeVersion::isNewer);
                }
            });
        } finally {
            changes.unpersist();
        }
    }

    /**
     * The order mirror's new rows upserted and, at the same time, {@link #orderHours} of their days computed again
     * from those days as the upsert leaves them (the mirror's rows with the new ones over them, by the upsert's
     * rule): the hours need not wait for the mirror's commit, so today's GMV moves one Delta commit sooner. Only
     * the capture writes the mirror, so those days are the same whether the hours read them before the upsert's
     * commit or after it. A batch cut off between the two commits is run again and writes both again, the same.
     */
    private void upsertOrdersWithTheirHours(Dataset<Row> rows) {
        Dataset<Row> newRows = rows.persist(); // read by both writes
        try {
            List<LocalDate> days = daysOf(newRows);
            Dataset<Row> ordersOfDays = Upserts.after(liveMirror.table(), sink.rowsOfDays(liveMirror.table(), days), newRows,
                    ChangeVersion::isNewer);
            ConcurrentWrites.run(List.of(
                    () -> sink.upsertNewer(liveMirror.table(), newRows, ChangeVersion::isNewer),
                    () -> replaceOrderHours(ordersOfDays, days)),
                    Runnable::run);
        } finally {
            newRows.unpersist();
        }
    }

    /** {@link #orderHours} computed again, by its entry's SELECT, for the days of {@code orders} from the mirror as it is now. */
    private void refreshOrderHours(Dataset<Row> orders) {
        List<LocalDate> days = daysOf(orders);
        replaceOrderHours(sink.rowsOfDays(liveMirror.table(), days), days);
    }

    /** {@code days} of {@link #orderHours} replaced by its entry's SELECT over {@code ordersOfDays}, those days' orders. */
    private void replaceOrderHours(Dataset<Row> ordersOfDays, List<LocalDate> days) {
        sink.replaceDays(orderHours, SqlJob.selectOverMicroBatch(orderHours, Map.of(liveMirror.table(), ordersOfDays)),
                days);
    }

    /** The days (dt) {@code orders} fall in. */
    private static List<LocalDate> daysOf(Dataset<Row> orders) {
        return orders.select("dt").distinct().where(col("dt").isNotNull()).collectAsList().stream()
                .map(row -> row.getDate(0).toLocalDate()).toList();
    }
}
