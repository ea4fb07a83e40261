package com.example.lakehouse.dev.bench;

import static org.apache.spark.sql.functions.col;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.IntStream;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.dev.generate.AppLogGenerator;
import com.example.lakehouse.dev.generate.GeneratedMessage;
import com.example.lakehouse.format.applog.AppLogTransforms;
import com.example.lakehouse.job.AppLogIngestJob;
import com.example.lakehouse.job.SparkSessions;
import com.example.lakehouse.source.KafkaSource;
import com.example.lakehouse.table.SessionTables;
import com.example.lakehouse.table.Tables;

/**
 * Measures the sink, not Kafka: the same generated batches go (a) through validation and a plain Delta
 * append, and (b) through everything the ingest's two queries write for it ({@link AppLogIngestJob#writeBoth}:
 * validation, the live table, ods_app_log's and ods_rejected's keyed inserts). Batch i of (b) lands in
 * tables that already hold i batches, which gives the keyed writes' cost as the tables grow.
 * Both paths run batch by batch, interleaved, so machine noise hits them alike: the append with the SQL jobs'
 * Spark settings, as a plain Spark job, the ingest's with those its queries give a batch of that size.
 */
public final class IngestBenchmark {
    /** Timings of one batch, in milliseconds. */
    public record BatchTiming(int batch, int messages, long appendMillis, long ingestMillis) {
    }

    private IngestBenchmark() {
    }

    public static List<BatchTiming> run(SparkSession spark, LakehouseConfig config, Tables tables,
                                        List<List<GeneratedMessage>> batches) {
        String appendTable = plainAppendTable(config);
        AppLogIngestJob ingest = AppLogIngestJob.intoDelta(spark, config, tables);
        List<BatchTiming> timings = new ArrayList<>();
        long offset = 0;
        for (int i = 0; i < batches.size(); i++) {
            Dataset<Row> records = asKafkaRecords(spark, "app_log", batches.get(i), offset).cache();
            records.count();
            offset += batches.get(i).size();

            SparkSessions.useSqlJobSettings(spark, config); // a plain Spark job's
            long started = System.nanoTime();
            AppLogTransforms.acceptedAppLogs(AppLogTransforms.validate(records), tables.appLogType())
                    .write().format("delta").mode("append").save(appendTable);
            long append = (System.nanoTime() - started) / 1_000_000;

            SparkSessions.configureForBatch(spark, config, OptionalLong.of(batches.get(i).size())); // as the ingest's
            started = System.nanoTime();
            ingest.writeBoth(records);
            long whole = (System.nanoTime() - started) / 1_000_000;

            records.unpersist();
            timings.add(new BatchTiming(i, batches.get(i).size(), append, whole));
        }
        return timings;
    }

    /**
     * The messages as the rows of Spark's Kafka source, on partition 0 of {@code topic} from {@code firstOffset}: rows
     * of an RDD, as a stream's micro-batch holds them. Not a local relation, whose every row Spark's analyzer walks in
     * each query built on it: at 200,000 rows that cost the whole batch, which builds many queries, seconds that the
     * append, one query, did not pay (docs/benchmarks.md).
     */
    static Dataset<Row> asKafkaRecords(SparkSession spark, String topic, List<GeneratedMessage> messages, long firstOffset) {
        Timestamp now = new Timestamp(System.currentTimeMillis());
        List<Row> rows = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            GeneratedMessage message = messages.get(i);
            rows.add(RowFactory.create(message.key(), message.value(), topic, 0, firstOffset + i, now));
        }
        // the tasks fetch their rows, as a Kafka source's do, rather than carry them: a parallelized collection's
        // partitions hold its rows, which the driver's one dispatcher thread then serialized into every task of every
        // stage over them (also through the cache): at 200,000 rows, 8% of a run's samples
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<List<Row>> shared = context.broadcast(rows);
        int partitions = context.defaultParallelism();
        List<Integer> slices = IntStream.range(0, partitions).boxed().toList();
        int size = rows.size();
        return spark.createDataFrame(context.parallelize(slices, partitions).flatMap(slice -> shared.value()
                .subList(slice * size / partitions, (slice + 1) * size / partitions).iterator()), KafkaSource.RECORD_SCHEMA);
    }

    /**
     * {@code days} of earlier app logs, one file a day, in ods_app_log and in the plain append's table, as a table holds
     * them after that many days of ingest and compaction: the files a keyed insert's transaction chooses among, and
     * the table state Delta rebuilds from the log when its checksum does not list them (more files than
     * {@code spark.databricks.delta.allFilesInCrc.thresholdNumFiles}). Twenty devices a day: the file count matters
     * here, not the rows.
     */
    private static void writeHistory(SparkSession spark, LakehouseConfig config, Tables tables,
                                     AppLogGenerator.Settings measured, int days) {
        List<GeneratedMessage> messages = AppLogGenerator.generate(new AppLogGenerator.Settings(20, days,
                measured.startDate().minusDays(days), measured.zone(), measured.seed(), 0, 0, 0));
        SparkSessions.useSqlJobSettings(spark, config);
        Dataset<Row> history = AppLogTransforms.acceptedAppLogs(AppLogTransforms.validate(
                asKafkaRecords(spark, "app_log_history", messages, 0)), tables.appLogType()).repartition(col("dt")).cache();
        for (String table : List.of(tables.odsAppLog().location(config.storage().tableRoot()), plainAppendTable(config))) {
            history.write().format("delta").mode("append").save(table);
        }
        history.unpersist();
        System.out.printf("history: %d days, %d messages, in ods_app_log and the plain append's table%n", days, messages.size());
    }

    private static String plainAppendTable(LakehouseConfig config) {
        return config.storage().tableRoot() + "/bench_plain_append";
    }

    /**
     * `bench ingest`: the generated days sliced into as many batches, each run through plain append and the
     * ingest's whole batch; prints the table of docs/benchmarks.md and the ratios. A {@code batchSize} of 0
     * makes each batch a day's worth of messages; a positive one takes that many messages from where each
     * day's worth would start, so small batches too land on a growing history. Returns the throughput ratio,
     * plain append's time over the whole batch's.
     */
    public static double report(LakehouseConfig config, Tables tables, AppLogGenerator.Settings settings, int batchSize,
                                int historyDays) {
        List<GeneratedMessage> messages = AppLogGenerator.generate(settings);
        // consecutive slices of the send order, one per day on average: batch i lands on i days of history
        int batches = settings.days();
        List<List<GeneratedMessage>> slices = new ArrayList<>();
        for (int i = 0; i < batches; i++) {
            int start = i * messages.size() / batches;
            int end = batchSize > 0 ? Math.min(messages.size(), start + batchSize) : (i + 1) * messages.size() / batches;
            slices.add(messages.subList(start, end));
        }
        SparkSession spark = SparkSessions.createForIngest(config, "bench-ingest", tables.all());
        SessionTables.createMissing(spark, config.storage().tableRoot(), AppLogIngestJob.tablesWritten(tables));
        if (historyDays > 0) {
            writeHistory(spark, config, tables, settings, historyDays);
        }
        List<BatchTiming> timings = run(spark, config, tables, slices);
        System.out.println("| batch | table size before (batches) | messages | plain append ms | ingest batch ms |");
        System.out.println("|---|---|---|---|---|");
        timings.forEach(t -> System.out.printf("| %d | %d | %d | %d | %d |%n", t.batch(), t.batch(), t.messages(),
                t.appendMillis(), t.ingestMillis()));
        // batch 0 warms the JVM and writes into an empty table; the figures start at batch 1 (1x history)
        List<BatchTiming> measured = timings.subList(1, timings.size());
        long appendTotal = measured.stream().mapToLong(BatchTiming::appendMillis).sum();
        long ingestTotal = measured.stream().mapToLong(BatchTiming::ingestMillis).sum();
        long messagesTotal = measured.stream().mapToLong(BatchTiming::messages).sum();
        System.out.printf("plain append: %.0f msg/s, ingest batch: %.0f msg/s, ratio %.2f%n",
                messagesTotal * 1000.0 / appendTotal, messagesTotal * 1000.0 / ingestTotal, (double) appendTotal / ingestTotal);
        // the totals hold the plain append's checkpoints, which Delta writes in the committing thread every tenth commit
        // (seconds each), while the sink writes its tables' off the batch's thread: the medians are a batch without one
        long appendMedian = Percentiles.of(measured.stream().map(BatchTiming::appendMillis).toList(), 0.5);
        long ingestMedian = Percentiles.of(measured.stream().map(BatchTiming::ingestMillis).toList(), 0.5);
        System.out.printf("medians a batch: plain append %d ms, ingest batch %d ms, ratio %.2f%n", appendMedian, ingestMedian,
                (double) appendMedian / ingestMedian);
        System.out.printf("ingest batch time at %dx history / at 1x: %.2f%n", measured.size(),
                (double) measured.get(measured.size() - 1).ingestMillis() / measured.get(0).ingestMillis());
        return (double) appendTotal / ingestTotal;
    }
}
