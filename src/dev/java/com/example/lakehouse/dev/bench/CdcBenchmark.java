package com.example.lakehouse.dev.bench;

import static org.apache.spark.sql.functions.col;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.dev.generate.GeneratedMessage;
import com.example.lakehouse.job.CdcIngestJob;
import com.example.lakehouse.job.SparkSessions;
import com.example.lakehouse.table.MirrorTable;
import com.example.lakehouse.table.SessionTables;
import com.example.lakehouse.table.Tables;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Measures the CDC ingest's two steps batch by batch: the capture ({@link CdcIngestJob#writeBatch}: the keyed
 * insert into ods_maxwell, and the order changes into ods_order_info and their days' hours) and the
 * application of the batch's changes to the other mirrors ({@link CdcIngestJob#applyToMirrors}, version-guarded
 * upserts), as the ingest's two queries run them when the mirror query keeps pace with the capture, its most
 * expensive case. Either over a growing ods_order_info (partitioned by the order's create date), or over every
 * captured table. Until 2026-12-04 the order mirror was in the second step.
 */
public final class CdcBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Timings of one batch: its capture, and the application of its changes to the mirrors. */
    public record BatchTiming(int batch, long mirrorRowsBefore, int changes, long captureMillis, long mirrorMillis) {
        long millis() {
            return captureMillis + mirrorMillis;
        }
    }

    /** The median batch's capture and mirror application. */
    public record Medians(long captureMillis, long mirrorMillis) {
    }

    private CdcBenchmark() {
    }

    /**
     * One batch per day from {@code start}: {@code ordersPerDay} inserts created that day, then status
     * updates of {@code updatesPerDay} orders picked at random among all orders so far.
     */
    public static List<List<GeneratedMessage>> orderChanges(LocalDate start, int days, int ordersPerDay, int updatesPerDay,
                                                            ZoneId zone, long seed) {
        Random random = new Random(seed);
        List<Map<String, Object>> orders = new ArrayList<>();
        List<List<GeneratedMessage>> batches = new ArrayList<>();
        long xid = 1;
        for (int day = 0; day < days; day++) {
            LocalDate date = start.plusDays(day);
            long ts = date.atTime(23, 0).atZone(zone).toEpochSecond();
            List<GeneratedMessage> batch = new ArrayList<>();
            for (int i = 0; i < ordersPerDay; i++) {
                Map<String, Object> order = new LinkedHashMap<>();
                order.put("id", (long) orders.size() + 1);
                order.put("user_id", 1 + random.nextInt(10_000));
                order.put("province_id", 1 + random.nextInt(10));
                order.put("order_status", "1001");
                order.put("total_amount", 10 + random.nextInt(1_000));
                order.put("create_time", date + " " + String.format("%02d:%02d:00", random.nextInt(24), random.nextInt(60)));
                orders.add(order);
                batch.add(message("order_info", "insert", ts, xid++, order));
            }
            for (int i = 0; i < updatesPerDay; i++) {
                Map<String, Object> order = orders.get(random.nextInt(orders.size()));
                order.put("order_status", String.valueOf(1002 + random.nextInt(3)));
                batch.add(message("order_info", "update", ts + 1, xid++, order));
            }
            batches.add(batch);
        }
        return batches;
    }

    /**
     * {@code batches} batches of {@code changesPerBatch} changes spread evenly over the source tables of {@code mirrors},
     * as a live shop sends them: in each table, four inserts of new rows for every update of an earlier
     * one, all on {@code day}.
     */
    public static List<List<GeneratedMessage>> changesOverAllTables(List<MirrorTable> mirrors, LocalDate day, int batches,
                                                                    int changesPerBatch, ZoneId zone) {
        long[] rowsPerTable = new long[mirrors.size()];
        long ts = day.atTime(12, 0).atZone(zone).toEpochSecond();
        long xid = 1;
        List<List<GeneratedMessage>> result = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            List<GeneratedMessage> batch = new ArrayList<>();
            for (int i = 0; i < changesPerBatch; i++) {
                int table = i % mirrors.size();
                boolean update = rowsPerTable[table] > 0 && i % 5 == 4;
                long id = update ? 1 + (i * 7919L) % rowsPerTable[table] : ++rowsPerTable[table];
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("id", id);
                if (mirrors.get(table).partitionedByCreateDate()) {
                    row.put("create_time", day + " 12:00:00");
                }
                batch.add(message(mirrors.get(table).sourceTable(), update ? "update" : "insert", ts + b, xid++, row));
            }
            result.add(batch);
        }
        return result;
    }

    public static List<BatchTiming> run(SparkSession spark, LakehouseConfig config, Tables tables,
                                        List<List<GeneratedMessage>> batches) {
        CdcIngestJob job = CdcIngestJob.intoDelta(spark, config, tables);
        List<BatchTiming> timings = new ArrayList<>();
        long offset = 0;
        for (int i = 0; i < batches.size(); i++) {
            Dataset<Row> records = IngestBenchmark.asKafkaRecords(spark, "maxwell", batches.get(i), offset).cache();
            records.count();
            // what the mirror query's Delta stream hands it: the rows this batch added to ods_maxwell
            Dataset<Row> captured = spark.table(tables.odsMaxwell().name()).where(col("kafka_topic").equalTo("maxwell")
                    .and(col("kafka_offset").between(offset, offset + batches.get(i).size() - 1)));
            offset += batches.get(i).size();
            long before = spark.table("ods_order_info").count();
            SparkSessions.configureForBatch(spark, config, OptionalLong.of(batches.get(i).size()));
            long capture = PeersBenchmark.timed(() -> job.writeBatch(records));
            // the mirror query reads a Delta stream, whose batches' sizes are not known before they are read
            SparkSessions.configureForBatch(spark, config, OptionalLong.empty());
            long mirrors = PeersBenchmark.timed(() -> job.applyToMirrors(captured));
            timings.add(new BatchTiming(i, before, batches.get(i).size(), capture, mirrors));
            records.unpersist();
        }
        return timings;
    }

    private static GeneratedMessage message(String table, String type, long ts, long xid, Map<String, Object> row) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("database", "gmall");
        message.put("table", table);
        message.put("type", type);
        message.put("ts", ts);
        message.put("xid", xid);
        message.put("commit", true);
        message.put("data", row);
        try {
            return new GeneratedMessage(null, JSON.writeValueAsBytes(message), true);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * `bench cdc`: one batch of order changes a day into a growing ods_order_info; prints the table and the
     * growth, and returns the changes per second.
     */
    public static double reportGrowth(LakehouseConfig config, Tables tables, List<List<GeneratedMessage>> batches) {
        List<BatchTiming> timings = run(createTables(config, tables, "bench-cdc"), config, tables, batches);
        System.out.println("| batch | ods_order_info rows before | changes | capture ms | mirrors ms |");
        System.out.println("|---|---|---|---|---|");
        timings.forEach(t -> System.out.printf("| %d | %d | %d | %d | %d |%n", t.batch(), t.mirrorRowsBefore(), t.changes(),
                t.captureMillis(), t.mirrorMillis()));
        // batch 0 warms the JVM and writes into an empty table; the figures start at batch 1 (1x history)
        List<BatchTiming> measured = timings.subList(1, timings.size());
        long changes = measured.stream().mapToLong(BatchTiming::changes).sum();
        long millis = measured.stream().mapToLong(BatchTiming::millis).sum();
        System.out.printf("capture and mirrors: %.0f changes/s%n", changes * 1000.0 / millis);
        System.out.printf("batch time at %dx history / at 1x: %.2f%n", measured.size(),
                (double) measured.get(measured.size() - 1).millis() / measured.get(0).millis());
        return changes * 1000.0 / millis;
    }

    /**
     * `bench cdc-tables`: batches of a live shop's changes over every captured table; prints the table and
     * the medians, and returns them.
     */
    public static Medians reportTables(LakehouseConfig config, Tables tables, int batches, int changesPerBatch) {
        List<BatchTiming> timings = run(createTables(config, tables, "bench-cdc-tables"), config, tables,
                changesOverAllTables(tables.mirrors(), LocalDate.of(2024, 3, 1), batches, changesPerBatch, config.timeZone()));
        System.out.println("| batch | changes | capture ms | mirrors ms |");
        System.out.println("|---|---|---|---|");
        timings.forEach(t -> System.out.printf("| %d | %d | %d | %d |%n", t.batch(), t.changes(), t.captureMillis(),
                t.mirrorMillis()));
        // batch 0 warms the JVM and creates every mirror's first files; the figures start at batch 1
        List<BatchTiming> measured = timings.subList(1, timings.size());
        long[] capture = measured.stream().mapToLong(BatchTiming::captureMillis).sorted().toArray();
        long[] mirrors = measured.stream().mapToLong(BatchTiming::mirrorMillis).sorted().toArray();
        System.out.printf("batch of %d changes over %d tables: capture median %d ms (max %d), mirrors median %d ms (max %d)%n",
                changesPerBatch, tables.mirrors().size(), capture[capture.length / 2], capture[capture.length - 1],
                mirrors[mirrors.length / 2], mirrors[mirrors.length - 1]);
        return new Medians(capture[capture.length / 2], mirrors[mirrors.length / 2]);
    }

    private static SparkSession createTables(LakehouseConfig config, Tables tables, String name) {
        SparkSession spark = SparkSessions.createForIngest(config, name, tables.all());
        SessionTables.createMissing(spark, config.storage().tableRoot(), CdcIngestJob.tablesWritten(tables));
        return spark;
    }
}
