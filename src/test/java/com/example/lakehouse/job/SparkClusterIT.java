package com.example.lakehouse.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.example.lakehouse.ExpectedDau;
import com.example.lakehouse.ObjectStoreServers;
import com.example.lakehouse.SparkStandaloneCluster;
import com.example.lakehouse.SparkTestBase;
import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.dev.generate.AppLogGenerator;
import com.example.lakehouse.dev.generate.GeneratedMessage;
import com.example.lakehouse.dev.generate.KafkaPublisher;
import com.example.lakehouse.dev.stack.LocalStack;
import com.example.lakehouse.kafka.KafkaTopics;
import com.example.lakehouse.table.Tables;

/**
 * The cluster jar under spark-submit on a real standalone cluster (master, worker and executors in
 * their own JVMs): the app-log ingest from Kafka into s3a:// tables on the local S3 server, then the
 * DAU jobs. Serialisation, the executors' classpath and their S3 settings are all exercised; DAU equals
 * the count made here from the generated messages.
 */
class SparkClusterIT {
    private static final Tables tables = Tables.load();
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final LocalDate FIRST_DAY = LocalDate.of(2024, 3, 1);
    private static final int DAYS = 2;

    @TempDir
    static Path workDir;
    private static LocalStack servers;
    private static SparkStandaloneCluster cluster;
    private static LakehouseConfig config;

    @BeforeAll
    static void startServers() throws Exception {
        servers = ObjectStoreServers.start(workDir, 800);
        config = servers.config();
        cluster = SparkStandaloneCluster.start(workDir.resolve("spark"));
    }

    @AfterAll
    static void stopServers() {
        if (cluster != null) {
            cluster.close();
        }
        if (servers != null) {
            servers.close();
        }
    }

    @Test
    void theClusterJarIngestsIntoS3AndCountsTheTrueDau() throws Exception {
        List<GeneratedMessage> messages = AppLogGenerator.generate(new AppLogGenerator.Settings(
                50, DAYS, FIRST_DAY, ZONE, 13, 0.3, 0.05, 0.02));
        KafkaTopics.ensure(config.kafka().bootstrapServers(), config.kafka().appLogTopic(), 2);
        KafkaPublisher.publish(config.kafka().bootstrapServers(), config.kafka().appLogTopic(), messages);
        Path properties = workDir.resolve("cluster.properties");
        Files.writeString(properties, String.join("\n", "kafka.bootstrap.servers=" + config.kafka().bootstrapServers(),
                "kafka.max-offsets-per-trigger=800", "lakehouse.table-root=s3a://lakehouse/tables",
                "lakehouse.checkpoint-root=s3a://lakehouse/checkpoints", "lakehouse.run-dir=" + workDir.resolve("run"),
                "s3.endpoint=" + config.s3().endpoint().orElseThrow(), "s3.path-style-access=true",
                "s3.access-key=" + ObjectStoreServers.ACCESS_KEY, "s3.secret-key=" + ObjectStoreServers.SECRET_KEY,
                "spark.sql.shuffle.partitions=2", ""));

        cluster.submit("ingest", List.of("--config", properties.toString(), "ingest", "logs", "--available-now"),
                Duration.ofMinutes(8));
        cluster.submit("run-dau", List.of("--config", properties.toString(), "run", "dau",
                "--from", FIRST_DAY.toString(), "--to", FIRST_DAY.plusDays(DAYS - 1).toString()), Duration.ofMinutes(8));

        assertThat(cluster.executorLogs()).as("executors ran in their own JVMs on the worker").isNotEmpty();
        SparkSession spark = SparkSessions.create(config, "cluster-check", tables.all());
        try {
            assertThat(SparkTestBase.distinctKeys(spark, "ods_app_log", "log_id")).isEqualTo(ExpectedDau.ids(messages, true));
            Map<LocalDate, Long> dau = spark.table("ads_dau_daily").collectAsList().stream()
                    .collect(Collectors.toMap(row -> row.<Date>getAs("dt").toLocalDate(), row -> row.<Long>getAs("dau")));
            assertThat(dau).isEqualTo(ExpectedDau.daily(messages, ZONE)).hasSize(DAYS);
        } finally {
            SparkTestBase.stop(spark);
        }
    }
}
