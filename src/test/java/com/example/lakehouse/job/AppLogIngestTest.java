package com.example.lakehouse.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import com.example.lakehouse.AppLogs;
import com.example.lakehouse.SparkTestBase;

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

        AppLogIngestJob.writeBatch(spark, kafkaRecordBytes(0, batch));
        AppLogIngestJob.writeBatch(spark, kafkaRecordBytes(0, batch)); // the same records again: nothing changes
        AppLogIngestJob.writeBatch(spark, kafkaRecords(4, List.of(AppLogs.start("mid_3", 1700000000000L))));

        assertThat(spark.table("ods_app_log").collectAsList()).extracting(row -> row.<String>getAs("mid"))
                .containsExactlyInAnyOrder("mid_1", "mid_2", "mid_3");
        List<Row> rejected = spark.table("ods_rejected").orderBy("kafka_offset").collectAsList();
        assertThat(rejected).extracting(row -> row.<Long>getAs("kafka_offset") + " " + row.<String>getAs("reason"))
                .satisfiesExactly(
                        tombstone -> assertThat(tombstone).isEqualTo("1 null value (a Kafka tombstone)"),
                        invalid -> assertThat(invalid).startsWith("2 invalid JSON: "));
        assertThat(rejected.get(0).<String>getAs("message_id")).isEqualTo("null-value/app_log/0/1");
        assertThat(rejected.get(1).<byte[]>getAs("raw")).as("the exact bytes").isEqualTo(notUtf8);
        assertThat(rejected.get(1).<String>getAs("raw_text")).isEqualTo("{\"m\":\uFFFD(}");
    }
}
