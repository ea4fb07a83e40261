package com.example.lakehouse.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.example.lakehouse.Checkpoints;
import com.example.lakehouse.ExpectedDau;
import com.example.lakehouse.SparkTestBase;
import com.example.lakehouse.cli.CliRun;
import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.dev.generate.AppLogGenerator;
import com.example.lakehouse.dev.generate.GeneratedMessage;
import com.example.lakehouse.dev.generate.KafkaPublisher;
import com.example.lakehouse.dev.stack.LocalKafkaBroker;
import com.example.lakehouse.dev.stack.LocalServer;
import com.example.lakehouse.kafka.KafkaTopics;
import com.example.lakehouse.process.ProcessSupervisor;

/**
 * `start`, `status` and `stop` of a background ingest against a real broker: start waits until the job
 * runs (creating its topic) or says why it died; stop ends an available-now drain after the running
 * micro-batch, and the next run picks up exactly where it stopped.
 */
class JobControlIT extends SparkTestBase {
    private static LocalKafkaBroker broker;
    private static String bootstrap;

    @BeforeAll
    static void startBroker() {
        broker = new LocalKafkaBroker(workDir.resolve("broker"));
        bootstrap = broker.start(LocalServer.freePort());
    }

    @AfterAll
    static void stopBroker() {
        broker.stop();
    }

    @Test
    void startWaitsUntilTheJobRunsAndStatusSaysWhyOneDied() throws IOException, InterruptedException {
        Path running = workDir.resolve("checkpoints-running");
        Path properties = configFile("running", "app_log_started_early", running.toString(), 1000);
        CliRun start = CliRun.of("--config", properties.toString(), "start", "ingest-logs");
        try {
            assertThat(start.exitCode()).as(start.err()).isZero();
            assertThat(start.out()).startsWith("ingest-logs started (pid ");
            CliRun status = CliRun.of("--config", properties.toString(), "status", "ingest-logs");
            assertThat(status.exitCode()).isZero();
            assertThat(status.out()).startsWith("ingest-logs running (pid ").contains("running since ");
            Checkpoints.await("the running ingest's report beside its checkpoint", Duration.ofMinutes(1),
                    () -> progress(running).filter(report -> report.stoppedAtMillis() == null).isPresent());
        } finally {
            assertThat(CliRun.of("--config", properties.toString(), "stop", "ingest-logs").out()).isEqualTo("ingest-logs stopped\n");
        }
        assertThat(CliRun.of("--config", properties.toString(), "status", "ingest-logs").out())
                .startsWith("ingest-logs stopped (stopped at ");
        assertThat(progress(running)).hasValueSatisfying(report -> {
            assertThat(report.stoppedAtMillis()).as("stopped, and said so").isNotNull();
            assertThat(report.failure()).isNull();
        });

        Path notAFolder = Files.writeString(workDir.resolve("not-a-folder"), "");
        Path broken = configFile("broken", "app_log", notAFolder.resolve("checkpoints").toString(), 1000);
        CliRun failed = CliRun.of("--config", broken.toString(), "start", "ingest-logs");
        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.err().lines().filter(line -> line.startsWith("lakehouse: "))).singleElement().asString()
                .startsWith("lakehouse: ingest-logs died while starting: ");
        CliRun status = CliRun.of("--config", broken.toString(), "status", "ingest-logs");
        assertThat(status.exitCode()).isEqualTo(3);
        assertThat(status.out()).startsWith("ingest-logs stopped (died at ");
    }

    @Test
    void stopEndsAnAvailableNowDrainAfterTheRunningMicroBatchAndNothingIsLost() throws Exception {
        List<GeneratedMessage> messages = AppLogGenerator.generate(new AppLogGenerator.Settings(
                60, 2, LocalDate.of(2024, 3, 1), ZoneId.of("Asia/Shanghai"), 5, 0.2, 0.0, 0.0));
        KafkaTopics.ensure(bootstrap, "app_log_drained", 1);
        KafkaPublisher.publish(bootstrap, "app_log_drained", messages);
        int batches = (messages.size() + 24) / 25;
        assertThat(batches).as("a drain of many micro-batches").isGreaterThan(15);
        Path checkpoints = workDir.resolve("checkpoints-drain");
        Path properties = configFile("drain", "app_log_drained", checkpoints.toString(), 25);
        Path runDir = workDir.resolve("run-drain");
        ProcessSupervisor supervisor = new ProcessSupervisor(runDir);
        supervisor.start("ingest-logs", ProcessSupervisor.sameJvm("com.example.lakehouse.cli.LakehouseCli", List.of(),
                List.of("--config", properties.toString(), "ingest", "logs", "--available-now")));
        Path checkpoint = checkpoints.resolve(AppLogIngestJob.QUERY_NAME);
        Checkpoints.await("2 micro-batches committed", Duration.ofMinutes(3), () -> Checkpoints.committed(checkpoint) >= 2);

        CliRun stop = CliRun.of("--config", properties.toString(), "stop", "ingest-logs");

        assertThat(stop.out()).isEqualTo("ingest-logs stopped\n");
        assertThat(Checkpoints.committed(checkpoint)).as("batches run of %s", batches).isLessThan(batches / 2);
        assertThat(supervisor.logTail("ingest-logs", 400)).contains("stop requested");
        StreamProgress progress = StreamProgress.read(config.toBuilder().checkpointRoot(checkpoints).build(),
                AppLogIngestJob.QUERY_NAME).orElseThrow();
        assertThat(progress.lastBatchId() + 1).as("what it reported beside its checkpoint")
                .isEqualTo(Checkpoints.committed(checkpoint));
        assertThat(progress.lastBatchInputRows()).isEqualTo(25);
        assertThat(progress.offsetsBehindLatest()).as("the drain stopped early")
                .isEqualTo(messages.size() - 25L * Checkpoints.committed(checkpoint));
        assertThat(progress.stoppedAtMillis()).as("a stop request is a clean stop").isNotNull();
        assertThat(progress.failure()).isNull();
        LakehouseConfig resumed = config.toBuilder().kafkaBootstrapServers(bootstrap).appLogTopic("app_log_drained")
                .checkpointRoot(checkpoints).build();
        AppLogIngestJob.intoDelta(spark, resumed, tables).runQueries(spark, resumed, Trigger.AvailableNow());
        Set<String> expected = ExpectedDau.ids(messages, true);
        assertThat(distinctKeys(spark, "ods_app_log", "log_id")).isEqualTo(expected);
    }

    /** What the archive query of an ingest with checkpoints under {@code checkpoints} last reported. */
    private static Optional<StreamProgress> progress(Path checkpoints) {
        return StreamProgress.read(config.toBuilder().checkpointRoot(checkpoints).build(), AppLogIngestJob.QUERY_NAME);
    }

    private Path configFile(String name, String topic, String checkpointRoot, int maxOffsetsPerTrigger) throws IOException {
        return Files.writeString(workDir.resolve(name + ".properties"), String.join("\n",
                "spark.master=local[2]",
                "spark.sql.shuffle.partitions=2",
                "kafka.bootstrap.servers=" + bootstrap,
                "kafka.topic.app-log=" + topic,
                "kafka.max-offsets-per-trigger=" + maxOffsetsPerTrigger,
                "lakehouse.table-root=" + config.storage().tableRoot(),
                "lakehouse.checkpoint-root=" + checkpointRoot,
                "lakehouse.run-dir=" + workDir.resolve("run-" + name),
                "ingest.trigger=2 seconds",
                "jobs.stop-timeout-seconds=60",
                ""));
    }
}
