package com.example.lakehouse.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.Trigger;

import com.example.lakehouse.config.ConfigException;
import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.generate.AppLogGenerator;
import com.example.lakehouse.generate.GeneratedMessage;
import com.example.lakehouse.job.AppLogIngestJob;
import com.example.lakehouse.job.SparkSessions;
import com.example.lakehouse.job.SqlJob;
import com.example.lakehouse.job.StreamingJobs;
import com.example.lakehouse.kafka.KafkaTopics;
import com.example.lakehouse.kafka.LocalKafkaBroker;
import com.example.lakehouse.source.KafkaSource;
import com.example.lakehouse.table.TableDef;
import com.example.lakehouse.table.Tables;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** The whole app-log path on this machine: local broker, generated logs, ingest, SQL jobs, DAU. */
@Command(name = "demo", description = "Run the pipeline end to end on a local broker and generated logs, then print DAU.")
final class DemoCommand implements Callable<Integer> {
    private static final String MARKER = ".lakehouse-demo";

    @ParentCommand
    LakehouseCli cli;

    @Mixin
    GenerateCommand.LogGenerationOptions generation;

    @Option(names = "--work-dir", defaultValue = "var/demo",
            description = "folder for the broker, tables and checkpoints; emptied first (default: ${DEFAULT-VALUE})")
    Path workDir;

    @Override
    public Integer call() throws Exception {
        resetWorkDir();
        step("starting a local Kafka broker (KRaft)");
        LocalKafkaBroker broker = new LocalKafkaBroker(workDir.resolve("run"));
        String bootstrap = broker.start(LocalKafkaBroker.freePort());
        try {
            LakehouseConfig config = cli.config().with(Map.of(
                    "kafka.bootstrap.servers", bootstrap,
                    "lakehouse.table-root", workDir.resolve("tables").toString(),
                    "lakehouse.checkpoint-root", workDir.resolve("checkpoints").toString(),
                    "lakehouse.run-dir", workDir.resolve("run").toString()));
            run(config);
        } finally {
            step("stopping the broker");
            broker.stop();
        }
        return 0;
    }

    private void run(LakehouseConfig config) throws Exception {
        AppLogGenerator.Settings settings = generation.settings(config.timeZone());
        step("generating " + settings.days() + " days of app logs for " + settings.devices() + " devices");
        List<GeneratedMessage> messages = AppLogGenerator.generate(settings);
        KafkaTopics.ensure(config.kafkaBootstrapServers(), config.appLogTopic(), 2);
        KafkaTopics.publish(config.kafkaBootstrapServers(), config.appLogTopic(), messages);
        step(GenerateCommand.describe(messages, config.appLogTopic()));

        step("starting Spark and ingesting the topic into Delta (MERGE on the message hash)");
        SparkSession spark = SparkSessions.create(config, "demo");
        StreamingJobs.logProgress(spark);
        AppLogIngestJob.start(spark, config, KafkaSource.stream(spark, config, config.appLogTopic()),
                Trigger.AvailableNow()).awaitTermination();
        step("ods_app_log holds " + spark.table(Tables.ODS_APP_LOG.name()).count() + " distinct messages, ods_rejected "
                + spark.table(Tables.ODS_REJECTED.name()).count() + " malformed ones");

        LocalDate last = settings.startDate().plusDays(settings.days() - 1);
        for (LocalDate dt = settings.startDate(); !dt.isAfter(last); dt = dt.plusDays(1)) {
            step("running the SQL jobs for " + dt);
            for (TableDef table : Tables.builtBySql()) {
                SqlJob.run(spark, config, table, dt);
            }
        }
        step("daily active devices");
        spark.table(Tables.ADS_DAU_DAILY.name()).orderBy("dt").show(100, false);
        step("hourly, " + last + " against the day before");
        spark.table(Tables.ADS_DAU_HOURLY.name()).where("dt = DATE'" + last + "'").orderBy("hour").drop("dt").show(24, false);
        step("done; tables are under " + config.tableRoot());
    }

    /** Empties the work dir, refusing any non-empty folder that an earlier demo did not create. */
    private void resetWorkDir() throws IOException {
        if (Files.exists(workDir)) {
            boolean empty;
            try (Stream<Path> entries = Files.list(workDir)) {
                empty = entries.findAny().isEmpty();
            }
            if (!empty && !Files.exists(workDir.resolve(MARKER))) {
                throw new ConfigException(workDir + " is not empty and was not made by the demo; choose another --work-dir");
            }
            try (Stream<Path> paths = Files.walk(workDir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(DemoCommand::delete);
            }
        }
        Files.createDirectories(workDir);
        Files.createFile(workDir.resolve(MARKER));
    }

    private static void delete(Path path) {
        try {
            Files.delete(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void step(String message) {
        System.out.println("==> " + message);
    }
}
