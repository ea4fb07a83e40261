package com.example.lakehouse.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Date;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.example.lakehouse.ExpectedDau;
import com.example.lakehouse.ObjectStoreServers;
import com.example.lakehouse.RowsAsText;
import com.example.lakehouse.SparkTestBase;
import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.dev.generate.AppLogGenerator;
import com.example.lakehouse.dev.generate.GeneratedMessage;
import com.example.lakehouse.dev.generate.KafkaPublisher;
import com.example.lakehouse.dev.stack.LocalStack;
import com.example.lakehouse.kafka.KafkaTopics;
import com.example.lakehouse.s3.S3Clients;
import com.example.lakehouse.table.Tables;
import com.example.lakehouse.trino.TrinoClient;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Tables and streaming checkpoints on s3a:// in a real S3-compatible server (S3Proxy), fed by a real
 * Kafka broker: ingest, a fresh consumer replaying the topic, the DAU jobs run twice and table
 * maintenance. DAU equals the count made here from the generated messages, the Delta logs and
 * checkpoints are objects in the bucket, listed through the S3 API, and Trino reads the same DAU from
 * the bucket.
 */
class ObjectStoreIT {
    private static final Tables tables = Tables.load();
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final LocalDate FIRST_DAY = LocalDate.of(2024, 3, 1);
    private static final int DAYS = 2;

    @TempDir
    static Path workDir;
    private static LocalStack servers;
    private static LakehouseConfig config;
    private static SparkSession spark;

    @BeforeAll
    static void startServersAndSpark() {
        servers = ObjectStoreServers.start(workDir, 500);
        config = servers.config();
        spark = SparkSessions.create(config, "object-store-test", tables.all());
    }

    @AfterAll
    static void stopAll() {
        if (spark != null) {
            SparkTestBase.stop(spark);
        }
        if (servers != null) {
            servers.close();
        }
    }

    @Test
    void appLogPathOnS3aCountsTheTrueDauAndReplaysChangeNothing() throws Exception {
        List<GeneratedMessage> messages = AppLogGenerator.generate(new AppLogGenerator.Settings(
                60, DAYS, FIRST_DAY, ZONE, 11, 0.3, 0.05, 0.02));
        KafkaTopics.ensure(config.kafka().bootstrapServers(), config.kafka().appLogTopic(), 2);
        KafkaPublisher.publish(config.kafka().bootstrapServers(), config.kafka().appLogTopic(), messages);

        ingest(config);
        ingest(config.toBuilder().checkpointRoot(URI.create("s3a://lakehouse/checkpoints-replay")).build());
        assertThat(SparkTestBase.distinctKeys(spark, "ods_app_log", "log_id")).isEqualTo(ExpectedDau.ids(messages, true));
        assertThat(SparkTestBase.distinctKeys(spark, "ods_rejected", "message_id")).isEqualTo(ExpectedDau.ids(messages, false));

        for (int run = 0; run < 2; run++) {
            SqlJob.runRange(spark, config, tables, tables.builtBySql(Tables.DAU), FIRST_DAY, FIRST_DAY.plusDays(DAYS - 1));
        }
        assertThat(TableBuilds.read(config, tables.adsDauDaily())).as("the build report, replaced in the bucket by each build")
                .hasValueSatisfying(builds -> assertThat(builds.lastDayBuilt()).isEqualTo(FIRST_DAY.plusDays(DAYS - 1).toString()));
        TableMaintenance.optimize(spark, tables.odsAppLog());
        TableMaintenance.vacuum(spark, tables.odsAppLog(), TableMaintenance.MIN_RETAIN_HOURS);
        assertThat(SparkTestBase.distinctKeys(spark, "ods_app_log", "log_id")).isEqualTo(ExpectedDau.ids(messages, true));

        Map<LocalDate, Long> dau = spark.table("ads_dau_daily").collectAsList().stream()
                .collect(Collectors.toMap(row -> row.<Date>getAs("dt").toLocalDate(), row -> row.<Long>getAs("dau")));
        assertThat(dau).isEqualTo(ExpectedDau.daily(messages, ZONE)).hasSize(DAYS);

        List<String> keys;
        try (S3Client client = S3Clients.create(config)) {
            keys = client.listObjectsV2Paginator(request -> request.bucket("lakehouse")).contents().stream()
                    .map(S3Object::key).toList();
        }
        assertThat(keys).contains("tables/ads_dau_daily/_delta_log/00000000000000000000.json",
                "tables/ods_app_log/_delta_log/00000000000000000000.json",
                "checkpoints/" + AppLogIngestJob.QUERY_NAME + "/commits/0",
                "checkpoints-replay/" + AppLogIngestJob.QUERY_NAME + "/commits/0");
        assertThat(keys).filteredOn(key -> key.startsWith("tables/ods_app_log/dt=")).isNotEmpty();

        servers.startTrino(); // stopped with the other servers
        try (Connection connection = TrinoClient.connect(servers.config())) {
            assertThat(RowsAsText.of(connection, "SELECT CAST(dt AS varchar), dau FROM ads_dau_daily"))
                    .containsExactlyInAnyOrderElementsOf(dau.entrySet().stream()
                            .map(day -> day.getKey() + " | " + day.getValue()).toList());
        }
    }

    private static void ingest(LakehouseConfig consumer) throws Exception {
        AppLogIngestJob.intoDelta(spark, consumer, tables).runQueries(spark, consumer, Trigger.AvailableNow());
    }
}
