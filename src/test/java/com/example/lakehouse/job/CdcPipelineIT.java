package com.example.lakehouse.job;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.example.lakehouse.RowsAsText;
import com.example.lakehouse.SparkTestBase;
import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.dev.generate.GeneratedMessage;
import com.example.lakehouse.dev.generate.KafkaPublisher;
import com.example.lakehouse.dev.generate.OrderGenerator;
import com.example.lakehouse.dev.stack.LocalMariaDb;
import com.example.lakehouse.dev.stack.LocalMaxwell;
import com.example.lakehouse.dev.stack.LocalStack;
import com.example.lakehouse.process.ProcessSupervisor;
import com.example.lakehouse.table.Tables;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The order path end to end with real MariaDB, real Maxwell and a real Kafka broker: the catalogue is
 * written before Maxwell starts and arrives by bootstrap; orders, updates and deletes arrive from the
 * binlog. The topic is then produced again shuffled (with two malformed messages) and read once more by
 * a fresh consumer. Every dimension and order table is compared row for row with the source database
 * queried directly, and the apportioned amounts are checked against each order's totals.
 */
class CdcPipelineIT extends SparkTestBase {
    private static final LocalDate FIRST_DAY = LocalDate.of(2024, 3, 1);
    private static final int DAYS = 3;
    private static final OrderGenerator.Settings SHOP = new OrderGenerator.Settings(40, DAYS, 25, FIRST_DAY, 7);
    private static final List<String> MALFORMED = List.of("{\"database\":\"gmall\",\"table\":",
            "{\"database\":\"gmall\",\"table\":\"order_info\",\"type\":\"insert\",\"ts\":1700000000,\"data\":{\"id\":1}}");

    private static LocalStack servers;
    private static LocalMaxwell maxwell;
    private static int dbPort;
    private static LakehouseConfig cdcConfig;

    @BeforeAll
    static void startServers() {
        servers = new LocalStack(workDir.resolve("run"), config).startKafka().startSourceDatabase();
        cdcConfig = servers.config();
        dbPort = cdcConfig.sourceDb().port();
    }

    @AfterAll
    static void stopServers() {
        servers.close();
    }

    @Test
    void dimensionsAndOrderTablesEqualTheSourceDatabaseAfterDuplicatesAndReplays() throws Exception {
        try (Connection db = LocalMariaDb.connect(dbPort, "gmall")) {
            OrderGenerator.seedCatalogue(db, SHOP);
            maxwell = servers.startMaxwell();
            maxwell.bootstrap(dbPort, "gmall", LocalMaxwell.CATALOGUE_TABLES, Duration.ofMinutes(3));
            OrderGenerator.Summary summary = OrderGenerator.generateOrders(db, SHOP);
            assertThat(summary.deletedOrders()).isPositive();
            assertThat(summary.statusUpdates()).isPositive();
            maxwell.awaitCaughtUp(dbPort, Duration.ofMinutes(3));

            List<ConsumerRecord<byte[], byte[]>> produced = readTopic(cdcConfig.kafka().bootstrapServers(), cdcConfig.kafka().maxwellTopic());
            ingest("checkpoints-first");
            List<GeneratedMessage> replay = new ArrayList<>();
            produced.forEach(record -> replay.add(new GeneratedMessage(record.key(), record.value(), true)));
            MALFORMED.forEach(message -> replay.add(new GeneratedMessage(null, message.getBytes(StandardCharsets.UTF_8), false)));
            Collections.shuffle(replay, new Random(11));
            KafkaPublisher.publish(cdcConfig.kafka().bootstrapServers(), cdcConfig.kafka().maxwellTopic(), replay);
            ingest("checkpoints-first");   // the shuffled duplicates, after the original changes
            ingest("checkpoints-second");  // a fresh consumer: original and shuffled copies interleaved per partition

            assertThat(spark.table("ods_maxwell").count()).as("each distinct change once")
                    .isEqualTo(distinctChanges(produced));
            assertThat(spark.table("ods_rejected").where("source = 'maxwell'").count()).isEqualTo(MALFORMED.size());

            SqlJob.runRange(spark, cdcConfig, tables, tables.builtBySql(Tables.ORDERS), FIRST_DAY, FIRST_DAY.plusDays(DAYS - 1));
            SqlJob.runRange(spark, cdcConfig, tables, tables.builtBySql(Tables.ORDERS), FIRST_DAY, FIRST_DAY.plusDays(DAYS - 1));
            assertTablesMatch(db);
            assertApportionedAmountsAddUp(db);

            killMaxwellWhileItSendsATransaction(db);
            changeTheSourceSchemaWhileCapturing(db);
        }
    }

    /**
     * kill -9 of Maxwell right after a large transaction commits, while it is still sending it, then a
     * restart: Maxwell resends from its last stored position, and the tables still equal the source.
     */
    private static void killMaxwellWhileItSendsATransaction(Connection db) throws Exception {
        db.setAutoCommit(false);
        try (Statement statement = db.createStatement()) {
            for (int round = 0; round < 5; round++) {
                statement.executeUpdate("UPDATE order_detail SET sku_num = sku_num + 1");
            }
            statement.executeUpdate("UPDATE order_info SET order_status = '1004' WHERE id % 3 = 0");
            db.commit();
        } finally {
            db.setAutoCommit(true);
        }
        ProcessHandle killed = new ProcessSupervisor(workDir.resolve("run")).running(LocalMaxwell.NAME).orElseThrow();
        killed.destroyForcibly();
        killed.onExit().get(30, TimeUnit.SECONDS);
        maxwell.start(cdcConfig); // the same server again, stopped with the others
        maxwell.awaitCaughtUp(dbPort, Duration.ofMinutes(3));
        ingest("checkpoints-first");

        SqlJob.runRange(spark, cdcConfig, tables, tables.builtBySql(Tables.ORDERS), FIRST_DAY, FIRST_DAY.plusDays(DAYS - 1));
        assertTablesMatch(db);
        assertApportionedAmountsAddUp(db);
    }

    /**
     * A column added to a source table reaches its mirror with its values; an amount wider than the
     * mirror's column (after the source widened it) is quarantined with the reason, never stored as NULL.
     */
    private static void changeTheSourceSchemaWhileCapturing(Connection db) throws Exception {
        long widenedOrder;
        BigDecimal amountBefore;
        try (Statement statement = db.createStatement()) {
            statement.execute("ALTER TABLE sku_info ADD COLUMN sku_color VARCHAR(20)");
            statement.execute("UPDATE sku_info SET sku_color = CONCAT('color-', id) WHERE id % 2 = 0");
            statement.execute("ALTER TABLE order_info MODIFY total_amount DECIMAL(20,2)");
            try (ResultSet order = statement.executeQuery("SELECT id, total_amount FROM order_info ORDER BY id LIMIT 1")) {
                order.next();
                widenedOrder = order.getLong(1);
                amountBefore = order.getBigDecimal(2);
            }
            statement.execute("UPDATE order_info SET total_amount = 12345678901234567.89 WHERE id = " + widenedOrder);
        }
        maxwell.awaitCaughtUp(dbPort, Duration.ofMinutes(3));
        ingest("checkpoints-first");

        assertSameRows(db, "ods_sku_info", "id, sku_color", "SELECT id, sku_color FROM sku_info");
        assertThat(spark.table("ods_rejected").where("raw_text LIKE '%12345678901234567.89%'").collectAsList())
                .extracting(row -> row.<String>getAs("reason"))
                .containsExactly("data.total_amount value 12345678901234567.89 does not fit"
                        + " (ods_order_info.total_amount is DECIMAL(16,2))");
        assertThat(spark.table("ods_order_info").where("id = " + widenedOrder).first().<BigDecimal>getAs("total_amount"))
                .as("the mirror keeps the last amount it could hold").isEqualTo(amountBefore);
    }

    private static void ingest(String checkpoints) throws Exception {
        LakehouseConfig consumer = cdcConfig.toBuilder().checkpointRoot(workDir.resolve(checkpoints)).build();
        CdcIngestJob.intoDelta(spark, consumer, tables).runQueries(spark, consumer, Trigger.AvailableNow());
    }

    private static void assertTablesMatch(Connection db) throws SQLException {
        String age = "TIMESTAMPDIFF(YEAR, u.birthday, DATE(o.create_time))";
        assertSameRows(db, "dim_user_info", "id, login_name, nick_name, name, phone_num, email, user_level, birthday,"
                + " gender, create_time, operate_time", "SELECT * FROM user_info");
        assertSameRows(db, "dim_base_province", "id, name, area_code, iso_code, iso_3166_2, region_id, region_name",
                "SELECT p.id, p.name, p.area_code, p.iso_code, p.iso_3166_2, p.region_id, r.region_name"
                        + " FROM base_province p LEFT JOIN base_region r ON r.id = p.region_id");
        assertSameRows(db, "dim_base_trademark", "id, tm_name, logo_url", "SELECT * FROM base_trademark");
        assertSameRows(db, "dim_base_category3", "id, name, category2_id, category2_name, category1_id, category1_name",
                "SELECT c3.id, c3.name, c2.id, c2.name, c1.id, c1.name FROM base_category3 c3"
                        + " LEFT JOIN base_category2 c2 ON c2.id = c3.category2_id LEFT JOIN base_category1 c1 ON c1.id = c2.category1_id");
        assertSameRows(db, "dim_spu_info", "id, spu_name, description, category3_id, tm_id", "SELECT * FROM spu_info");
        assertSameRows(db, "dim_sku_info", "id, spu_id, price, sku_name, tm_name, category1_name",
                "SELECT s.id, s.spu_id, s.price, s.sku_name, t.tm_name, c1.name FROM sku_info s"
                        + " LEFT JOIN base_trademark t ON t.id = s.tm_id LEFT JOIN base_category3 c3 ON c3.id = s.category3_id"
                        + " LEFT JOIN base_category2 c2 ON c2.id = c3.category2_id LEFT JOIN base_category1 c1 ON c1.id = c2.category1_id");
        assertSameRows(db, "dwd_order_info", "dt, order_id, user_id, order_status, province_name, region_name, user_gender,"
                        + " user_age, user_age_group, if_first_order, original_total_amount, activity_reduce_amount,"
                        + " coupon_reduce_amount, feight_fee, total_amount, create_time, operate_time",
                "SELECT DATE(o.create_time), o.id, o.user_id, o.order_status, p.name, r.region_name, u.gender, " + age + ","
                        + " CASE WHEN " + age + " < 20 THEN 'under 20' WHEN " + age + " < 30 THEN '20-29'"
                        + " WHEN " + age + " < 40 THEN '30-39' WHEN " + age + " < 50 THEN '40-49' ELSE '50+' END,"
                        + " IF(EXISTS (SELECT 1 FROM order_info e WHERE e.user_id = o.user_id AND (e.create_time < o.create_time"
                        + " OR (e.create_time = o.create_time AND e.id < o.id))), 'false', 'true'),"
                        + " o.original_total_amount, o.activity_reduce_amount, o.coupon_reduce_amount, o.feight_fee,"
                        + " o.total_amount, o.create_time, o.operate_time FROM order_info o"
                        + " LEFT JOIN base_province p ON p.id = o.province_id LEFT JOIN base_region r ON r.id = p.region_id"
                        + " LEFT JOIN user_info u ON u.id = o.user_id");
        assertSameRows(db, "dwd_order_detail", "dt, order_detail_id, order_id, sku_id, sku_name, order_price, sku_num,"
                        + " line_amount, tm_name, category3_name",
                "SELECT DATE(d.create_time), d.id, d.order_id, d.sku_id, d.sku_name, d.order_price, d.sku_num,"
                        + " d.order_price * d.sku_num, t.tm_name, c3.name FROM order_detail d LEFT JOIN sku_info s ON s.id = d.sku_id"
                        + " LEFT JOIN base_trademark t ON t.id = s.tm_id LEFT JOIN base_category3 c3 ON c3.id = s.category3_id");
        assertSameRows(db, "dwd_order_wide", "order_detail_id, order_id, user_id, sku_id, total_amount, province_name, tm_name",
                "SELECT d.id, o.id, o.user_id, d.sku_id, o.total_amount, p.name, t.tm_name FROM order_detail d"
                        + " JOIN order_info o ON o.id = d.order_id LEFT JOIN base_province p ON p.id = o.province_id"
                        + " LEFT JOIN sku_info s ON s.id = d.sku_id LEFT JOIN base_trademark t ON t.id = s.tm_id");
        assertSameRows(db, "ads_order_daily", "dt, order_count, ordering_user_count, original_total_amount, gmv",
                "SELECT DATE(create_time), count(*), count(DISTINCT user_id), sum(original_total_amount), sum(total_amount)"
                        + " FROM order_info GROUP BY DATE(create_time)");
        assertSameRows(db, "dws_order_hour_live", "dt, order_hour, order_count, gmv",
                "SELECT DATE(create_time), HOUR(create_time), count(*), sum(total_amount) FROM order_info"
                        + " GROUP BY DATE(create_time), HOUR(create_time)");
        assertSameRows(db, "ads_province_gmv", "dt, province_id, province_name, order_count, ordering_user_count, gmv",
                "SELECT DATE(o.create_time), o.province_id, p.name, count(*), count(DISTINCT o.user_id), sum(o.total_amount)"
                        + " FROM order_info o LEFT JOIN base_province p ON p.id = o.province_id GROUP BY 1, 2, 3");
        assertSameRows(db, "ads_trademark_gmv", "dt, tm_id, tm_name, order_count, sku_num",
                "SELECT DATE(d.create_time), s.tm_id, t.tm_name, count(DISTINCT d.order_id), sum(d.sku_num)"
                        + " FROM order_detail d LEFT JOIN sku_info s ON s.id = d.sku_id LEFT JOIN base_trademark t ON t.id = s.tm_id"
                        + " GROUP BY 1, 2, 3");
    }

    /** Per order, the lines' split amounts add up exactly to the order's amounts as the database has them. */
    private static void assertApportionedAmountsAddUp(Connection db) throws SQLException {
        Map<Long, List<BigDecimal>> expected = new TreeMap<>();
        try (Statement statement = db.createStatement(); ResultSet orders = statement.executeQuery(
                "SELECT id, total_amount, activity_reduce_amount, coupon_reduce_amount FROM order_info")) {
            while (orders.next()) {
                expected.put(orders.getLong(1), List.of(orders.getBigDecimal(2), orders.getBigDecimal(3), orders.getBigDecimal(4)));
            }
        }
        Map<Long, List<BigDecimal>> actual = new TreeMap<>();
        for (Row line : spark.table("dwd_order_wide").collectAsList()) {
            List<BigDecimal> splits = List.of(line.getAs("split_total_amount"), line.getAs("split_activity_amount"),
                    line.getAs("split_coupon_amount"));
            assertThat(splits).as("line %s", line.<Long>getAs("order_detail_id")).allMatch(split -> split.signum() >= 0);
            actual.merge(line.getAs("order_id"), splits, (a, b) -> List.of(a.get(0).add(b.get(0)), a.get(1).add(b.get(1)),
                    a.get(2).add(b.get(2))));
        }
        assertThat(actual).isEqualTo(expected);
        assertThat(expected.values()).as("some orders have reductions to split")
                .anyMatch(amounts -> amounts.get(2).signum() > 0);
    }

    /**
     * {@code table}'s {@code columns} and the rows of {@code sourceQuery} are the same multiset, every
     * value compared as text (Spark's cast to string and MariaDB's text form agree for these types).
     */
    private static void assertSameRows(Connection db, String table, String columns, String sourceQuery) throws SQLException {
        Column[] asText = Arrays.stream(columns.split(",\\s*")).map(name -> col(name).cast("string")).toArray(Column[]::new);
        List<String> lakehouse = new ArrayList<>(RowsAsText.of(spark.table(table).select(asText).collectAsList()));
        List<String> source = new ArrayList<>(RowsAsText.of(db, sourceQuery));
        Collections.sort(lakehouse);
        Collections.sort(source);
        assertThat(source).as("%s in the source database", table).isNotEmpty();
        assertThat(lakehouse).as("%s against the source database", table).isEqualTo(source);
    }

    /**
     * The independent count: distinct (database, table, id, ts, xid, xoffset) among the messages Maxwell
     * sent, a bootstrap's start and complete markers (no id) told apart by their type.
     */
    private static long distinctChanges(List<ConsumerRecord<byte[], byte[]>> records) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Set<List<String>> changes = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            JsonNode change = json.readTree(record.value());
            changes.add(Arrays.asList(change.path("database").asText(), change.path("table").asText(),
                    change.path("data").has("id") ? change.path("data").path("id").asText() : change.path("type").asText(),
                    change.path("ts").asText(), change.path("xid").asText(),
                    change.path("xoffset").asText()));
        }
        return changes.size();
    }

    private static List<ConsumerRecord<byte[], byte[]>> readTopic(String bootstrap, String topic) {
        Map<String, Object> settings = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
                consumer.poll(Duration.ofSeconds(1)).forEach(records::add);
            }
        }
        return records;
    }
}
