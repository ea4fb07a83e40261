package com.example.lakehouse.format.applog;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import org.apache.commons.codec.digest.DigestUtils;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import scala.Tuple3;
import scala.jdk.javaapi.CollectionConverters;

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
    void aBatchIsTakenInAtOneTimeWhichItsGeneratedCodeDoesNotSpell() {
        List<String> logs = List.of(AppLogs.start("mid_1", 1700000000000L), AppLogs.start("mid_2", 1700000001000L));
        Instant before = Instant.now();
        Dataset<Row> first = AppLogTransforms.acceptedAppLogs(AppLogTransforms.validate(kafkaRecords(0, logs)), tables.appLogType());
        Dataset<Row> next = AppLogTransforms.acceptedAppLogs(AppLogTransforms.validate(kafkaRecords(2, logs)), tables.appLogType());
        Instant after = Instant.now();

        List<Instant> firstTimes = ingestedAt(first);
        List<Instant> nextTimes = ingestedAt(next);
        assertThat(firstTimes).hasSize(2).containsOnly(firstTimes.get(0));
        assertThat(nextTimes).hasSize(2).containsOnly(nextTimes.get(0));
        assertThat(firstTimes.get(0)).isBetween(before, after).isBefore(nextTimes.get(0));
        assertThat(nextTimes.get(0)).isBetween(before, after);
        // so the next batch's stages are classes Spark compiled already, not new ones with another literal
        assertThat(generatedCode(next)).isNotEmpty().isEqualTo(generatedCode(first));
    }

    private static List<Instant> ingestedAt(Dataset<Row> rows) {
        return rows.collectAsList().stream().map(row -> row.<Timestamp>getAs("ingested_at").toInstant()).toList();
    }

    /** The Java source of the stages a query ran (Spark's adaptive execution plans them as it runs). */
    private static List<String> generatedCode(Dataset<Row> rows) {
        return CollectionConverters.asJava(rows.queryExecution().debug().codegenToSeq()).stream().map(Tuple3::_2).toList();
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
