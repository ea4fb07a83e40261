package com.example.lakehouse.dev.bench;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import com.example.lakehouse.config.ConfigException;
import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.dev.generate.AppLogGenerator;
import com.example.lakehouse.dev.generate.GeneratedMessage;
import com.example.lakehouse.job.AppLogIngestJob;
import com.example.lakehouse.job.SparkSessions;
import com.example.lakehouse.sink.DeltaSink;
import com.example.lakehouse.table.SessionTables;
import com.example.lakehouse.table.Tables;

/**
 * What production does all day: consecutive micro-batches of one day's messages, in send order, into the
 * same dt partition, which grows with every batch. Each batch goes through the ingest's whole batch
 * function (validation, the live table, ods_app_log's keyed insert, ods_rejected); flat means the
 * last batches cost about what batches 11-20 did although the partition then holds all earlier batches.
 */
public final class WithinDayBenchmark {
    private static final LocalDate DAY = LocalDate.of(2024, 3, 1);
    /**
     * Batches in each window the figure compares. The sink's upkeep of a table (a compaction and a checkpoint, off the
     * batches' thread, on the same cores) comes that many commits after the sink's first one and every as many after:
     * batches 1-10 run beside none, and any ten batches after them beside about one of each table's. The figure
     * compares the last ten batches with batches 11-20, like with like.
     */
    private static final int WINDOW = DeltaSink.UPKEEP_EVERY_COMMITS;
    /** The fewest measured batches that hold batches 11-20 and a last ten apart from them. */
    public static final int MIN_BATCHES = 3 * WINDOW;

    private WithinDayBenchmark() {
    }

    /**
     * `bench within-day`: prints each batch's time and the last batches' time against the first ones'; returns the
     * mean of the last ten batches over that of batches 11-20 ({@link #WINDOW}).
     */
    public static double report(LakehouseConfig config, Tables tables, int devices, int batches, int batchSize, long seed) {
        List<List<GeneratedMessage>> slices = oneDay(devices, batches, batchSize, config.timeZone(), seed);
        SparkSession spark = SparkSessions.createForIngest(config, "bench-within-day", tables.all());
        SessionTables.createMissing(spark, config.storage().tableRoot(), AppLogIngestJob.tablesWritten(tables));
        AppLogIngestJob ingest = AppLogIngestJob.intoDelta(spark, config, tables);
        System.out.println("| batch | messages delivered before (retries and malformed ones included) | batch ms |");
        System.out.println("|---|---|---|");
        long[] millis = new long[slices.size()];
        long offset = 0;
        for (int i = 0; i < slices.size(); i++) {
            Dataset<Row> records = IngestBenchmark.asKafkaRecords(spark, "app_log", slices.get(i), offset).cache();
            records.count();
            SparkSessions.configureForBatch(spark, config, OptionalLong.of(slices.get(i).size())); // as the ingest's
            long started = System.nanoTime();
            ingest.writeBoth(records);
            millis[i] = (System.nanoTime() - started) / 1_000_000;
            records.unpersist();
            System.out.printf("| %d | %d | %d |%n", i, offset, millis[i]);
            offset += slices.get(i).size();
        }
        // batch 0 warms the JVM and writes into an empty partition; batch 1 is the first measured
        int last = millis.length - 1;
        double lastOverFirstWithUpkeeps = mean(millis, last - WINDOW + 1, last + 1)
                / mean(millis, WINDOW + 1, 2 * WINDOW + 1);
        System.out.printf("batch %d / batch 1: %.2f; mean of the last five / mean of batches 1-5: %.2f;"
                        + " mean of the last %d / mean of batches %d-%d: %.2f%n", last, (double) millis[last] / millis[1],
                mean(millis, last - 4, last + 1) / mean(millis, 1, 6), WINDOW, WINDOW + 1, 2 * WINDOW,
                lastOverFirstWithUpkeeps);
        return lastOverFirstWithUpkeeps;
    }

    /**
     * {@code batches} consecutive slices of one generated day, in send order, with one warm-up batch before them. No
     * late events: the generator sends them after midnight, so they would make the last slices the next morning's
     * batches, which hold events from all over the day and read every file of it (docs/benchmarks.md).
     */
    private static List<List<GeneratedMessage>> oneDay(int devices, int batches, int batchSize, ZoneId zone, long seed) {
        List<GeneratedMessage> day = AppLogGenerator.generate(new AppLogGenerator.Settings(devices, 1, DAY, zone, seed,
                0.3, 0, 0.01));
        int needed = (batches + 1) * batchSize;
        if (day.size() < needed) {
            throw new ConfigException(devices + " devices make " + day.size() + " messages in a day, fewer than the "
                    + needed + " of " + batches + " batches of " + batchSize + " and a warm-up batch; raise --devices");
        }
        List<List<GeneratedMessage>> slices = new ArrayList<>();
        for (int i = 0; i <= batches; i++) {
            slices.add(day.subList(i * batchSize, (i + 1) * batchSize));
        }
        return slices;
    }

    private static double mean(long[] values, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += values[i];
        }
        return sum / (to - from);
    }
}
