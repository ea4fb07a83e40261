package com.example.lakehouse.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.example.lakehouse.ExpectedDau;
import com.example.lakehouse.SparkTestBase;
import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.generate.AppLogGenerator;
import com.example.lakehouse.generate.GeneratedMessage;
import com.example.lakehouse.kafka.KafkaTopics;
import com.example.lakehouse.kafka.LocalKafkaBroker;
import com.example.lakehouse.process.LocalServer;
import com.example.lakehouse.source.KafkaSource;
import com.example.lakehouse.table.Tables;

/**
 * OPTIMIZE and VACUUM while the ingest MERGEs into the same partitions, as the weekly maintenance DAG
 * does beside the running streams: the stream survives every conflicting commit and the table ends
 * with exactly the distinct messages produced (counted here from the bytes).
 */
class MaintenanceIT extends SparkTestBase {
    private static LocalKafkaBroker broker;
    private static LakehouseConfig kafkaConfig;

    @BeforeAll
    static void startBroker() {
        broker = new LocalKafkaBroker(workDir.resolve("run"));
        String bootstrap = broker.start(LocalServer.freePort());
        kafkaConfig = config.with(Map.of("kafka.bootstrap.servers", bootstrap, "kafka.max-offsets-per-trigger", "60"));
    }

    @AfterAll
    static void stopBroker() {
        broker.stop();
    }

    @Test
    void compactingWhileTheStreamMergesLosesNothingAndKillsNothing() throws Exception {
        List<GeneratedMessage> messages = AppLogGenerator.generate(new AppLogGenerator.Settings(
                80, 1, LocalDate.of(2024, 3, 1), ZoneId.of("Asia/Shanghai"), 3, 0.2, 0.0, 0.01));
        KafkaTopics.ensure(kafkaConfig.kafkaBootstrapServers(), kafkaConfig.appLogTopic(), 1);
        StreamingQuery query = AppLogIngestJob.start(spark, kafkaConfig,
                KafkaSource.stream(spark, kafkaConfig, kafkaConfig.appLogTopic()), Trigger.ProcessingTime("1 second"));
        int chunk = 40;
        CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
            for (int from = 0; from < messages.size(); from += chunk) {
                KafkaTopics.publish(kafkaConfig.kafkaBootstrapServers(), kafkaConfig.appLogTopic(),
                        messages.subList(from, Math.min(from + chunk, messages.size())));
                sleep(300);
            }
        });
        int rounds = 0;
        while (!producer.isDone() || rounds < 3) {
            TableMaintenance.optimize(spark, Tables.ODS_APP_LOG);
            TableMaintenance.optimize(spark, Tables.ODS_REJECTED);
            rounds++;
        }
        TableMaintenance.vacuum(spark, Tables.ODS_APP_LOG, TableMaintenance.MIN_RETAIN_HOURS);
        producer.get();
        query.processAllAvailable();

        assertThat(query.isActive()).as("the stream survived %d rounds of OPTIMIZE", rounds).isTrue();
        query.stop();
        assertThat(distinctKeys(spark, "ods_app_log", "log_id")).isEqualTo(ExpectedDau.ids(messages, true));
        assertThat(distinctKeys(spark, "ods_rejected", "message_id")).isEqualTo(ExpectedDau.ids(messages, false));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
