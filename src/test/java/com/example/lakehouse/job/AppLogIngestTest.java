package com.example.lakehouse.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import com.example.lakehouse.AppLogs;
import com.example.lakehouse.SparkTestBase;
import com.example.lakehouse.sink.StreamBatch;
import com.example.lakehouse.sink.TableSink;
import com.example.lakehouse.table.MirrorTable;
import com.example.lakehouse.table.TableDef;

/** A batch with records no reader can take lands whole: the valid messages accepted, the rest quarantined as they came. */
class AppLogIngestTest extends SparkTestBase {
    @Test
    void aNullValueOrInvalidUtf8IsQuarantinedAndTheBatchLands() {
        byte[] notUtf8 = {'{', '"', 'm', '"', ':', (byte) 0xC3, (byte) 0x28, '}'};
        List<byte[]> batch = Arrays.asList(
                AppLogs.start("mid_1", 1700000000000L).getBytes(StandardCharsets.UTF_8),
                null, // a tombstone, which any producer can send
                notUtf8,
                AppLogs.start("mid_2", 1700000000000L).getBytes(StandardCharsets.UTF_8));

        AppLogIngestJob ingest = AppLogIngestJob.intoDelta(spark, config, tables);
        ingest.writeBoth(kafkaRecordBytes(0, batch));
        ingest.writeBoth(kafkaRecordBytes(0, batch)); // the same records again: nothing changes
        ingest.writeBoth(kafkaRecordBytes(100, batch)); // sent again, at later offsets: nothing changes either
        ingest.writeBoth(kafkaRecords(4, List.of(AppLogs.start("mid_3", 1700000000000L))));

        assertThat(spark.table("ods_app_log").collectAsList()).extracting(row -> row.<String>getAs("mid"))
                .containsExactlyInAnyOrder("mid_1", "mid_2", "mid_3");
        List<Row> rejected = spark.table("ods_rejected").orderBy("kafka_offset").collectAsList();
        assertThat(rejected).extracting(row -> row.<Long>getAs("kafka_offset") + " " + row.<String>getAs("reason"))
                .satisfiesExactly(
                        tombstone -> assertThat(tombstone).isEqualTo("1 null value (a Kafka tombstone)"),
                        invalid -> assertThat(invalid).startsWith("2 invalid JSON: "));
        assertThat(rejected.get(0).<String>getAs("message_id")).as("a tombstone without a key").isEqualTo("null-value/no-key");
        assertThat(rejected.get(1).<byte[]>getAs("raw")).as("the exact bytes").isEqualTo(notUtf8);
        assertThat(rejected.get(1).<String>getAs("raw_text")).isEqualTo("{\"m\":\uFFFD(}");
    }

    /** The job's routing, seen through a sink that only records: no Delta table is touched. */
    @Test
    void everyRecordGoesToOneTableAndEachQueryWritesItsOwnTables() {
        List<String> batch = Arrays.asList(AppLogs.start("mid_1", 1700000000000L), AppLogs.start("mid_1", 1700000000000L),
                AppLogs.page("mid_2", 1700000001000L, "home", null), null, "not json", "not json");
        RecordingSink sink = new RecordingSink();
        AppLogIngestJob job = new AppLogIngestJob(tables, "app_log", sink);

        job.writeLive(kafkaRecords(0, batch));
        assertThat(sink.writes).as("the live query").containsExactly("dws_dau_device_live");
        job.writeBatch(kafkaRecords(0, batch));
        assertThat(sink.writes.subList(1, sink.writes.size())).as("the archive query")
                .containsExactlyInAnyOrder("ods_app_log", "ods_rejected");

        assertThat(sink.rows.get("ods_app_log")).as("a message delivered twice is one row").hasSize(2);
        assertThat(sink.rows.get("ods_rejected")).as("a bad message delivered twice too").extracting(row -> row.<Long>getAs("kafka_offset"))
                .containsExactlyInAnyOrder(3L, 4L);
        assertThat(sink.rows.get("dws_dau_device_live")).extracting(row -> row.<String>getAs("mid"))
                .containsExactlyInAnyOrder("mid_1", "mid_2");
    }

    /** Records which table each write went to, in order, and the rows it was given. */
    private static final class RecordingSink implements TableSink {
        final List<String> writes = Collections.synchronizedList(new ArrayList<>());
        final Map<String, List<Row>> rows = new ConcurrentHashMap<>();

        @Override
        public void createMissing(List<TableDef> tables) {
        }

        @Override
        public void insertNew(TableDef table, Dataset<Row> batch) {
            rows.put(table.name(), batch.collectAsList());
            writes.add(table.name());
        }

        @Override
        public void upsertNewer(TableDef table, Dataset<Row> batch, BiFunction<String, String, Column> sourceIsNewer) {
            insertNew(table, batch);
        }

        @Override
        public void appendCandidates(TableDef table, Dataset<Row> batch, Optional<StreamBatch> streamBatch) {
            insertNew(table, batch);
        }

        @Override
        public void replaceDays(TableDef table, Dataset<Row> batch, Collection<LocalDate> days) {
            throw new UnsupportedOperationException("the app-log ingest replaces no days");
        }

        @Override
        public Dataset<Row> rowsOfDays(TableDef table, Collection<LocalDate> days) {
            throw new UnsupportedOperationException("the app-log ingest reads no days back");
        }

        @Override
        public StructType evolveMirror(MirrorTable mirror, Collection<String> sourceColumns) {
            throw new UnsupportedOperationException("the app-log ingest has no mirrors");
        }
    }
}
