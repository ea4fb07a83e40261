package com.example.lakehouse.format.applog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.apache.commons.codec.digest.DigestUtils;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import com.example.lakehouse.AppLogs;
import com.example.lakehouse.SparkTestBase;
import com.example.lakehouse.format.KafkaMessages;

class AppLogTransformsTest extends SparkTestBase {
    @Test
    void keepsTheFirstDeliveryOfEachMessageDatedInTheConfiguredZone() {
        // 16:30 UTC is 00:30 the next day in Asia/Shanghai, the default zone
        String log = AppLogs.start("mid_1", Instant.parse("2023-11-14T16:30:00Z").toEpochMilli());
        Dataset<Row> validated = AppLogTransforms.validate(kafkaRecords(10, List.of(log, "{\"common\":", log)));

        List<Row> accepted = AppLogTransforms.acceptedAppLogs(validated, tables.appLogType()).collectAsList();

        assertThat(accepted).hasSize(1);
        Row row = accepted.get(0);
        assertThat(row.getAs("log_id").toString()).isEqualTo(DigestUtils.sha256Hex(log));
        assertThat(row.getAs("dt").toString()).isEqualTo("2023-11-15");
        assertThat(row.<String>getAs("mid")).isEqualTo("mid_1");
        assertThat(row.<String>getAs("uid")).isEqualTo("42");
        assertThat(row.<Long>getAs("kafka_offset")).isEqualTo(10L);
        assertThat(row.<String>getAs("raw")).isEqualTo(log);
        assertThat(row.<Row>getAs("log").<Row>getAs("start").<Long>getAs("loading_time")).isEqualTo(1200L);
    }

    @Test
    void quarantinesInvalidMessagesWithTheirReasonAndPosition() {
        Dataset<Row> validated = AppLogTransforms.validate(kafkaRecords(0, java.util.Arrays.asList(
                AppLogs.start("mid_1", 1700000000000L), "{\"common\":", null)));

        List<Row> rejected = KafkaMessages.rejectedMessages(validated, "app_log").orderBy("kafka_offset").collectAsList();

        assertThat(rejected).extracting(row -> row.getAs("reason").toString())
                .satisfiesExactly(reason -> assertThat(reason).startsWith("invalid JSON:"),
                        reason -> assertThat(reason).isEqualTo("null value (a Kafka tombstone)"));
        assertThat(rejected).extracting(row -> row.<Long>getAs("kafka_offset")).containsExactly(1L, 2L);
        assertThat(rejected).extracting(row -> row.<String>getAs("source")).containsOnly("app_log");
        assertThat(AppLogTransforms.acceptedAppLogs(validated, tables.appLogType()).count()).isEqualTo(1);
    }
}
