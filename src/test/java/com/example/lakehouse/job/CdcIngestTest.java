package com.example.lakehouse.job;

import static com.example.lakehouse.MaxwellMessages.bootstrapInsert;
import static com.example.lakehouse.MaxwellMessages.change;
import static com.example.lakehouse.MaxwellMessages.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.example.lakehouse.SparkTestBase;
import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.format.maxwell.CdcTransforms;
import com.example.lakehouse.format.maxwell.ChangeVersion;
import com.example.lakehouse.format.maxwell.MaxwellParser;
import com.example.lakehouse.sink.DeltaSink;
import com.example.lakehouse.sink.StoppingSink;
import com.example.lakehouse.table.MirrorTable;
import com.example.lakehouse.table.TableDef;

/**
 * The merge-ordering rule: whatever order and batching the changes of a row arrive in, and however
 * often, the mirror ends with the newest change by (ts, xid, xoffset), and a delete is not undone.
 */
class CdcIngestTest extends SparkTestBase {
    /** Epoch seconds of the first change; the changes are this plus a few seconds. */
    private static final long T = 1_700_000_000L;

    enum Delivery { IN_ORDER_IN_ONE_BATCH, REVERSED_ONE_CHANGE_PER_BATCH,
        SHUFFLED_TWICE_IN_TWO_BATCHES,
        /** Each change in a file of its own second, then each again: ods_maxwell reads only the files of its minute. */
        ONE_CHANGE_PER_BATCH_THEN_EACH_AGAIN_REVERSED }

    /** The changes of three users; ids are offset per scenario so each scenario starts from nothing. */
    private static List<String> changes(long idOffset) {
        long first = idOffset + 1;
        long deleted = idOffset + 2;
        long bootstrapped = idOffset + 3;
        return List.of(
                change("insert", "user_info", T + 100, 10, null, user(first, "v1")),
                // one transaction that updates the row twice: the row without xoffset is its last one
                change("update", "user_info", T + 101, 11, 0L, user(first, "v2")),
                change("update", "user_info", T + 101, 11, null, user(first, "v3")),
                // a bootstrap read in the same second as the transaction: the binlog change wins
                bootstrapInsert("user_info", T + 101, user(first, "read by bootstrap")),
                change("insert", "user_info", T + 100, 10, 0L, user(deleted, "x1")),
                change("update", "user_info", T + 102, 12, null, user(deleted, "x2")),
                change("delete", "user_info", T + 105, 20, null, user(deleted, "x2")),
                bootstrapInsert("user_info", T + 200, user(bootstrapped, "b1")),
                "{\"database\":\"gmall\",\"table\":\"user_info\",\"type\":\"insert\",\"ts\":" + T + "}");
    }

    private static Map<String, Object> user(long id, String nickName) {
        return row("id", id, "login_name", "user" + id, "nick_name", nickName, "birthday", "1990-02-03",
                "gender", "F", "create_time", "2023-11-14 22:13:20");
    }

    /**
     * What the CDC ingest's two queries do with one batch: the capture writes it (ods_maxwell, and the order
     * mirror), then the mirror query applies the rows it added to ods_maxwell to the other mirrors (those of the
     * batch; one seen before changes nothing).
     */
    static void ingest(SparkSession spark, LakehouseConfig config, Dataset<Row> kafkaRecords) {
        CdcIngestJob job = CdcIngestJob.intoDelta(spark, config, tables);
        job.writeBatch(kafkaRecords);
        job.applyToMirrors(CdcTransforms.acceptedChanges(CdcTransforms.validate(kafkaRecords,
                new MaxwellParser(tables.mirrors()))));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Delivery.class)
    void theNewestChangeWinsWhateverTheDeliveryOrder(Delivery delivery) {
        long idOffset = 100L * delivery.ordinal();
        List<String> messages = changes(idOffset);
        for (List<String> batch : batches(delivery, messages)) {
            ingest(spark, config, kafkaRecords(0, batch));
        }

        Map<Long, Row> users = new TreeMap<>();
        spark.table("ods_user_info").where("id > " + idOffset + " AND id <= " + (idOffset + 3)).collectAsList()
                .forEach(user -> users.put(user.getAs("id"), user));
        assertThat(users).hasSize(3);
        Row first = users.get(idOffset + 1);
        assertThat(first.<String>getAs("nick_name")).isEqualTo("v3");
        assertThat(List.of(first.<Long>getAs("change_ts"), first.<Long>getAs("change_xid"), first.<Long>getAs("change_xoffset")))
                .containsExactly(T + 101, 11L, ChangeVersion.LAST_IN_TRANSACTION);
        assertThat(first.<Boolean>getAs("is_deleted")).isFalse();
        assertThat(first.<java.sql.Date>getAs("birthday").toString()).isEqualTo("1990-02-03");
        Row deleted = users.get(idOffset + 2);
        assertThat(deleted.<Boolean>getAs("is_deleted")).as("an older update after the delete does not undo it").isTrue();
        assertThat(deleted.<Long>getAs("change_ts")).isEqualTo(T + 105);
        Row bootstrapped = users.get(idOffset + 3);
        assertThat(bootstrapped.<String>getAs("nick_name")).isEqualTo("b1");
        assertThat(bootstrapped.<Long>getAs("change_xid")).isEqualTo(ChangeVersion.BOOTSTRAP_XID);

        assertThat(spark.table("ods_maxwell").where("CAST(row_id AS BIGINT) BETWEEN " + (idOffset + 1) + " AND " + (idOffset + 3))
                .count()).as("each distinct change once").isEqualTo(8);
        assertThat(spark.table("ods_rejected").where("source = 'maxwell' AND raw_text LIKE '%user_info%'").collectAsList())
                .extracting(row -> row.<String>getAs("reason")).containsOnly("binlog change without xid");
    }

    /**
     * Orders of one day, numbered from {@code firstId}: two created at 09:xx in one transaction, then the first
     * updated, the second updated and deleted, and a third created at 14:xx. What stays: the first (12.00) at 9,
     * the third (7.50) at 14.
     */
    private static List<String> orderChanges(LocalDate day, long firstId) {
        long updated = firstId + 1;
        long deleted = firstId + 2;
        long third = firstId + 3;
        return List.of(
                change("insert", "order_info", T + 100, 10, 0L, order(updated, "10.00", day + " 09:00:00")),
                change("insert", "order_info", T + 100, 10, null, order(deleted, "5.00", day + " 09:30:00")),
                change("update", "order_info", T + 101, 11, null, order(updated, "12.00", day + " 09:00:00")),
                change("update", "order_info", T + 102, 12, null, order(deleted, "6.00", day + " 09:30:00")),
                change("delete", "order_info", T + 105, 20, null, order(deleted, "6.00", day + " 09:30:00")),
                change("insert", "order_info", T + 103, 13, null, order(third, "7.50", day + " 14:15:00")));
    }

    private static Map<String, Object> order(long id, String totalAmount, String createTime) {
        return row("id", id, "user_id", 1L, "total_amount", new BigDecimal(totalAmount), "create_time", createTime);
    }

    /**
     * The order mirror and its hours, which the capture writes at the same time, end as the newest changes
     * say whatever the delivery, and whichever of the capture's writes a batch stopped before (as an ingest
     * killed between two commits) before it ran again.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Delivery.class)
    void theOrderHoursFollowTheNewestChangesWhateverTheDeliveryAndWhereverABatchStopped(Delivery delivery) {
        LocalDate day = LocalDate.of(2024, 4, 10 + delivery.ordinal());
        long firstId = 1_000L + 10L * delivery.ordinal();
        MirrorTable orderMirror = tables.mirrorOf("order_info").orElseThrow();
        List<TableDef> captureWrites = List.of(tables.odsMaxwell(), tables.odsRejected(), orderMirror.table(),
                tables.dwsOrderHourLive());
        List<List<String>> batches = batches(delivery, orderChanges(day, firstId));
        for (int i = 0; i < batches.size(); i++) {
            Dataset<Row> records = kafkaRecords(0, batches.get(i));
            TableDef stoppedBefore = captureWrites.get(i % captureWrites.size());
            CdcIngestJob stopping = new CdcIngestJob(tables, config.sourceDb().database(), config.kafka().maxwellTopic(),
                    new StoppingSink(stoppedBefore, new DeltaSink(spark, config.storage().tableRoot())));
            assertThatThrownBy(() -> stopping.writeBatch(records)).hasMessageContaining(stoppedBefore.name());
            CdcIngestJob.intoDelta(spark, config, tables).writeBatch(records); // the batch runs again from the checkpoint
        }

        assertThat(OrderJobsTest.liveHours(day)).containsExactly(day + " 9 1 12.00", day + " 14 1 7.50");
        assertThat(spark.table("ods_order_info").where("dt = DATE'" + day + "'").orderBy("id").collectAsList())
                .extracting(order -> order.getAs("id") + " " + order.getAs("total_amount") + " " + order.getAs("is_deleted"))
                .containsExactly((firstId + 1) + " 12.00 false", (firstId + 2) + " 6.00 true", (firstId + 3) + " 7.50 false");
    }

    @Test
    void anEmptyTableOfOrderHoursIsFilledFromTheOrderMirrorWhenTheCaptureStarts() {
        LocalDate march5 = LocalDate.of(2024, 3, 5);
        ingest(spark, config, kafkaRecords(0, List.of(
                change("insert", "order_info", T, 950, 0L, row("id", 951L, "user_id", 1L, "total_amount",
                        new BigDecimal("10.00"), "create_time", "2024-03-05 10:00:00")),
                change("insert", "order_info", T, 950, null, row("id", 952L, "user_id", 2L, "total_amount",
                        new BigDecimal("2.50"), "create_time", "2024-03-05 10:59:59")))));
        List<String> expected = List.of("2024-03-05 10 2 12.50");
        assertThat(OrderJobsTest.liveHours(march5)).isEqualTo(expected);

        spark.sql("DELETE FROM dws_order_hour_live");
        CdcIngestJob.intoDelta(spark, config, tables).fillOrderHoursIfEmpty(spark); // what startCapture does first
        assertThat(OrderJobsTest.liveHours(march5)).isEqualTo(expected);
    }

    @Test
    void whatTheRetiredOrderMirrorQueryHadNotAppliedIsAppliedOnceBeforeTheCaptureStarts() throws Exception {
        // the query that applied the order mirror before the capture did, caught up with ods_maxwell as it is
        String ods_maxwell = tables.odsMaxwell().location(config.storage().tableRoot());
        StreamingJobs.startForeachBatch(CdcIngestJob.RETIRED_ORDER_MIRROR_QUERY_NAME, config,
                spark.readStream().format("delta").load(ods_maxwell), Trigger.AvailableNow(), batch -> { })
                .awaitTermination();
        // then an order captured by the old capture, which only wrote ods_maxwell, and the upgrade
        new DeltaSink(spark, config.storage().tableRoot()).insertNew(tables.odsMaxwell(),
                CdcTransforms.acceptedChanges(CdcTransforms.validate(kafkaRecords(0, List.of(change("insert",
                        "order_info", T, 970, null, row("id", 971L, "user_id", 1L, "total_amount", new BigDecimal("4.00"),
                                "create_time", "2024-03-07 08:00:00")))), new MaxwellParser(tables.mirrors()))));
        Path checkpoint = Path.of(java.net.URI.create(config.storage().checkpointRoot() + "/"
                + CdcIngestJob.RETIRED_ORDER_MIRROR_QUERY_NAME));
        assertThat(spark.table("ods_order_info").where("id = 971").count()).isZero();

        CdcIngestJob job = CdcIngestJob.intoDelta(spark, config, tables);
        job.finishRetiredOrderMirror(spark, config); // what startCapture does first
        assertThat(spark.table("ods_order_info").where("id = 971").count()).isEqualTo(1);
        assertThat(OrderJobsTest.liveHours(LocalDate.of(2024, 3, 7))).containsExactly("2024-03-07 8 1 4.00");
        assertThat(checkpoint).as("its checkpoint goes: the next start does nothing").doesNotExist();
        job.finishRetiredOrderMirror(spark, config);
    }

    @Test
    void anOrderWithoutAReadableCreateTimeIsQuarantinedAndTheRestOfTheBatchLands() {
        Map<String, Object> good = row("id", 901L, "user_id", 1L, "total_amount", new BigDecimal("10.00"),
                "create_time", "2024-03-01 10:00:00");
        Map<String, Object> noCreateTime = row("id", 902L, "user_id", 1L, "total_amount", new BigDecimal("20.00"));
        Map<String, Object> badCreateTime = row("id", 903L, "user_id", 1L, "total_amount", new BigDecimal("30.00"),
                "create_time", "01/03/2024");
        List<String> batch = List.of(change("insert", "order_info", T, 900, 0L, good),
                change("insert", "order_info", T, 900, 1L, noCreateTime),
                change("insert", "order_info", T, 900, null, badCreateTime));

        ingest(spark, config, kafkaRecords(0, batch));

        assertThat(spark.table("ods_order_info").where("id BETWEEN 901 AND 903").collectAsList())
                .extracting(order -> order.<Long>getAs("id") + " " + order.getAs("dt"))
                .containsExactly("901 2024-03-01");
        assertThat(spark.table("ods_rejected").where("source = 'maxwell' AND raw_text RLIKE 'order_info.*\"id\":90[23]'").collectAsList())
                .extracting(rejected -> rejected.<String>getAs("reason"))
                .containsExactlyInAnyOrder("data.create_time missing (the mirror is partitioned by its date)",
                        "data.create_time '01/03/2024' is not yyyy-MM-dd HH:mm:ss (ods_order_info.create_time is TIMESTAMP)");
        assertThat(spark.table("ods_maxwell").where("table_name = 'order_info' AND CAST(row_id AS BIGINT) BETWEEN 901 AND 903")
                .count()).as("accepted + quarantined = in").isEqualTo(1);
    }

    @Test
    void aColumnAddedAtTheSourceIsAddedToTheMirrorWithItsValues() {
        List<String> batch = List.of(
                change("insert", "sku_info", T, 950, null, row("id", 951L, "sku_name", "old shape", "price", new BigDecimal("1.50"))),
                change("insert", "sku_info", T + 60, 951, null, row("id", 952L, "sku_name", "new shape",
                        "price", new BigDecimal("2.50"), "sku_color", "red", "sku_weight_g", new BigDecimal("1234567890123456789.0123"))));

        ingest(spark, config, kafkaRecords(0, batch));
        ingest(spark, config, kafkaRecords(0, batch)); // replayed: nothing changes

        assertThat(spark.table("ods_sku_info").where("id IN (951, 952)").orderBy("id").collectAsList())
                .extracting(sku -> sku.getAs("sku_name") + " " + sku.getAs("price") + " " + sku.getAs("sku_color")
                        + " " + sku.getAs("sku_weight_g"))
                .containsExactly("old shape 1.50 null null", "new shape 2.50 red 1234567890123456789.0123");
        assertThat(spark.table("ods_maxwell").where("table_name = 'sku_info' AND row_id IN ('951', '952')").count()).isEqualTo(2);
    }

    @Test
    void anAmountWiderThanItsColumnIsQuarantinedNotStoredAsNull() {
        Map<String, Object> fits = row("id", 961L, "user_id", 1L, "total_amount", new BigDecimal("99999999999999.99"),
                "create_time", "2024-03-02 10:00:00");
        Map<String, Object> tooWide = row("id", 962L, "user_id", 1L, "total_amount", new BigDecimal("12345678901234567.89"),
                "create_time", "2024-03-02 10:00:00");
        List<String> batch = List.of(change("insert", "order_info", T, 960, 0L, fits),
                change("insert", "order_info", T, 960, null, tooWide));

        ingest(spark, config, kafkaRecords(0, batch));

        assertThat(spark.table("ods_order_info").where("id IN (961, 962)").collectAsList())
                .extracting(order -> order.<Long>getAs("id") + " " + order.getAs("total_amount"))
                .containsExactly("961 99999999999999.99");
        assertThat(spark.table("ods_maxwell").where("table_name = 'order_info' AND row_id = '961'").first().<String>getAs("data"))
                .as("numbers kept exactly, not as doubles").contains("\"total_amount\":99999999999999.99");
        assertThat(spark.table("ods_rejected").where("raw_text LIKE '%\"id\":962%'").collectAsList())
                .extracting(rejected -> rejected.<String>getAs("reason"))
                .containsExactly("data.total_amount value 12345678901234567.89 does not fit (ods_order_info.total_amount is DECIMAL(16,2))");
        assertThat(spark.table("ods_maxwell").where("table_name = 'order_info' AND row_id = '962'").count())
                .as("accepted + quarantined = in").isZero();
    }

    private static List<List<String>> batches(Delivery delivery, List<String> messages) {
        List<List<String>> batches = new ArrayList<>();
        switch (delivery) {
            case IN_ORDER_IN_ONE_BATCH -> batches.add(messages);
            case REVERSED_ONE_CHANGE_PER_BATCH -> {
                List<String> reversed = new ArrayList<>(messages);
                Collections.reverse(reversed);
                reversed.forEach(message -> batches.add(List.of(message)));
            }
            case SHUFFLED_TWICE_IN_TWO_BATCHES -> {
                List<String> shuffled = new ArrayList<>(messages);
                shuffled.addAll(messages);
                Collections.shuffle(shuffled, new Random(7));
                batches.add(shuffled.subList(0, messages.size()));
                batches.add(shuffled.subList(messages.size(), shuffled.size()));
            }
            case ONE_CHANGE_PER_BATCH_THEN_EACH_AGAIN_REVERSED -> {
                messages.forEach(message -> batches.add(List.of(message)));
                batches.addAll(batches(Delivery.REVERSED_ONE_CHANGE_PER_BATCH, messages));
            }
        }
        return batches;
    }
}
