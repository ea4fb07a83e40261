package com.example.lakehouse.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;

import com.example.lakehouse.bench.CdcBenchmark;
import com.example.lakehouse.bench.FreshnessBenchmark;
import com.example.lakehouse.bench.IngestBenchmark;
import com.example.lakehouse.bench.IngestBenchmark.BatchTiming;
import com.example.lakehouse.bench.PeersBenchmark;
import com.example.lakehouse.config.ConfigException;
import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.generate.AppLogGenerator;
import com.example.lakehouse.generate.GeneratedMessage;
import com.example.lakehouse.job.AppLogIngestJob;
import com.example.lakehouse.job.CdcIngestJob;
import com.example.lakehouse.job.SparkSessions;
import com.example.lakehouse.kafka.KafkaTopics;
import com.example.lakehouse.stack.LocalKafkaBroker;
import com.example.lakehouse.stack.LocalServer;
import com.example.lakehouse.serve.ApiServer;
import com.example.lakehouse.serve.LiveFigures;
import com.example.lakehouse.table.TableCatalog;
import com.example.lakehouse.table.Tables;
import com.example.lakehouse.stack.LocalTrino;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "bench", description = "Benchmarks; results go to stdout (see docs/benchmarks.md).")
final class BenchCommand {
    @ParentCommand
    LakehouseCli cli;

    @Command(name = "ingest", description = "Plain append vs dedup MERGE, and MERGE time as ods_app_log grows.")
    int ingest(@Mixin GenerateCommand.LogGenerationOptions generation,
               @Option(names = "--work-dir", defaultValue = "var/bench", description = "fresh folder for the tables") Path workDir)
            throws Exception {
        requireFresh(workDir);
        LakehouseConfig config = cli.config().toBuilder().tableRoot(workDir.resolve("tables")).build();
        AppLogGenerator.Settings settings = generation.settings(config.timeZone());
        List<GeneratedMessage> messages = AppLogGenerator.generate(settings);
        // consecutive slices of the send order, one per day on average: batch i merges into i days of history
        int batches = settings.days();
        List<List<GeneratedMessage>> slices = new ArrayList<>();
        for (int i = 0; i < batches; i++) {
            slices.add(messages.subList(i * messages.size() / batches, (i + 1) * messages.size() / batches));
        }
        SparkSession spark = SparkSessions.create(config, "bench-ingest");
        TableCatalog.createMissing(spark, config.storage().tableRoot(), AppLogIngestJob.TABLES);
        List<BatchTiming> timings = IngestBenchmark.run(spark, config, slices);
        System.out.println("| batch | table size before (batches) | messages | plain append ms | dedup MERGE ms |");
        System.out.println("|---|---|---|---|---|");
        timings.forEach(t -> System.out.printf("| %d | %d | %d | %d | %d |%n", t.batch(), t.batch(), t.messages(),
                t.appendMillis(), t.mergeMillis()));
        // batch 0 warms the JVM and writes into an empty table; the figures start at batch 1 (1x history)
        List<BatchTiming> measured = timings.subList(1, timings.size());
        long appendTotal = measured.stream().mapToLong(BatchTiming::appendMillis).sum();
        long mergeTotal = measured.stream().mapToLong(BatchTiming::mergeMillis).sum();
        long messagesTotal = measured.stream().mapToLong(BatchTiming::messages).sum();
        System.out.printf("plain append: %.0f msg/s, dedup MERGE: %.0f msg/s, ratio %.2f%n",
                messagesTotal * 1000.0 / appendTotal, messagesTotal * 1000.0 / mergeTotal, (double) appendTotal / mergeTotal);
        System.out.printf("MERGE batch time at %dx history / at 1x: %.2f%n", measured.size(),
                (double) measured.get(measured.size() - 1).mergeMillis() / measured.get(0).mergeMillis());
        return 0;
    }

    @Command(name = "cdc", description = "CDC batch time (ods_maxwell + version-guarded MERGE) as ods_order_info grows.")
    int cdc(@Option(names = "--days", defaultValue = "11", description = "batches, one day each (default: ${DEFAULT-VALUE})") int days,
            @Option(names = "--orders-per-day", defaultValue = "20000", description = "inserts per batch (default: ${DEFAULT-VALUE})") int ordersPerDay,
            @Option(names = "--updates-per-day", defaultValue = "5000", description = "status updates of earlier orders per batch (default: ${DEFAULT-VALUE})") int updatesPerDay,
            @Option(names = "--start-date", defaultValue = "2024-03-01", description = "first day (default: ${DEFAULT-VALUE})") LocalDate startDate,
            @Option(names = "--seed", defaultValue = "1", description = "random seed (default: ${DEFAULT-VALUE})") long seed,
            @Option(names = "--work-dir", defaultValue = "var/bench-cdc", description = "fresh folder for the tables") Path workDir) {
        requireFresh(workDir);
        if (days < 3 || ordersPerDay < 1 || updatesPerDay < 0) {
            throw new ConfigException("--days must be at least 3, --orders-per-day at least 1, --updates-per-day not negative");
        }
        LakehouseConfig config = cli.config().toBuilder().tableRoot(workDir.resolve("tables")).build();
        List<List<GeneratedMessage>> batches = CdcBenchmark.orderChanges(startDate, days, ordersPerDay, updatesPerDay,
                config.timeZone(), seed);
        SparkSession spark = SparkSessions.create(config, "bench-cdc");
        TableCatalog.createMissing(spark, config.storage().tableRoot(), CdcIngestJob.TABLES);
        List<CdcBenchmark.BatchTiming> timings = CdcBenchmark.run(spark, config, batches);
        System.out.println("| batch | ods_order_info rows before | changes | batch ms |");
        System.out.println("|---|---|---|---|");
        timings.forEach(t -> System.out.printf("| %d | %d | %d | %d |%n", t.batch(), t.mirrorRowsBefore(), t.changes(), t.millis()));
        // batch 0 warms the JVM and writes into an empty table; the figures start at batch 1 (1x history)
        List<CdcBenchmark.BatchTiming> measured = timings.subList(1, timings.size());
        long changes = measured.stream().mapToLong(CdcBenchmark.BatchTiming::changes).sum();
        long millis = measured.stream().mapToLong(CdcBenchmark.BatchTiming::millis).sum();
        System.out.printf("CDC batch function: %.0f changes/s%n", changes * 1000.0 / millis);
        System.out.printf("batch time at %dx history / at 1x: %.2f%n", measured.size(),
                (double) measured.get(measured.size() - 1).millis() / measured.get(0).millis());
        return 0;
    }
    @Command(name = "cdc-tables", description = "CDC micro-batches of a live shop: changes spread over every captured table.")
    int cdcTables(@Option(names = "--batches", defaultValue = "11", description = "batches (default: ${DEFAULT-VALUE})") int batches,
                  @Option(names = "--changes-per-batch", defaultValue = "1000", description = "changes per batch (default: ${DEFAULT-VALUE})") int changesPerBatch,
                  @Option(names = "--work-dir", defaultValue = "var/bench-cdc-tables", description = "fresh folder for the tables") Path workDir) {
        requireFresh(workDir);
        if (batches < 2 || changesPerBatch < Tables.MIRRORS.size()) {
            throw new ConfigException("--batches must be at least 2, --changes-per-batch at least " + Tables.MIRRORS.size());
        }
        LakehouseConfig config = cli.config().toBuilder().tableRoot(workDir.resolve("tables")).build();
        SparkSession spark = SparkSessions.create(config, "bench-cdc-tables");
        TableCatalog.createMissing(spark, config.storage().tableRoot(), CdcIngestJob.TABLES);
        List<CdcBenchmark.BatchTiming> timings = CdcBenchmark.run(spark, config,
                CdcBenchmark.changesOverAllTables(LocalDate.of(2024, 3, 1), batches, changesPerBatch, config.timeZone()));
        System.out.println("| batch | changes | batch ms |");
        System.out.println("|---|---|---|");
        timings.forEach(t -> System.out.printf("| %d | %d | %d |%n", t.batch(), t.changes(), t.millis()));
        // batch 0 warms the JVM and creates every mirror's first files; the figures start at batch 1
        long[] millis = timings.subList(1, timings.size()).stream().mapToLong(CdcBenchmark.BatchTiming::millis).sorted().toArray();
        System.out.printf("batch of %d changes over %d tables: median %d ms, max %d ms%n", changesPerBatch,
                Tables.MIRRORS.size(), millis[millis.length / 2], millis[millis.length - 1]);
        return 0;
    }

    @Command(name = "freshness", description = "Time from an event produced to Kafka to its device counted by the query API,"
            + " with the ingest, Trino and the API running here.")
    int freshness(@Option(names = "--seconds", defaultValue = "180", description = "measured production time (default: ${DEFAULT-VALUE})") int seconds,
                  @Option(names = "--warm-up-seconds", defaultValue = "30", description = "production before measuring (default: ${DEFAULT-VALUE})") int warmUpSeconds,
                  @Option(names = "--devices-per-second", defaultValue = "20", description = "new devices a second (default: ${DEFAULT-VALUE})") int devicesPerSecond,
                  @Option(names = "--trigger", defaultValue = "5 seconds", description = "the ingest's trigger (default: ${DEFAULT-VALUE})") String trigger,
                  @Option(names = "--work-dir", defaultValue = "var/bench-freshness", description = "fresh folder for the tables and servers") Path workDir)
            throws Exception {
        requireFresh(workDir);
        if (seconds < 1 || warmUpSeconds < 0 || devicesPerSecond < 1) {
            throw new ConfigException("--seconds and --devices-per-second must be at least 1, --warm-up-seconds not negative");
        }
        Path runDir = workDir.resolve("run").toAbsolutePath();
        LocalKafkaBroker broker = new LocalKafkaBroker(runDir);
        LocalTrino trino = new LocalTrino(runDir);
        String bootstrap = broker.start(LocalServer.freePort());
        try {
            LakehouseConfig config = cli.config().toBuilder()
                    .tableRoot(workDir.resolve("tables"))
                    .checkpointRoot(workDir.resolve("checkpoints"))
                    .runDir(runDir)
                    .kafkaBootstrapServers(bootstrap)
                    .trinoPort(LocalServer.freePort())
                    .trigger(trigger)
                    .build();
            SparkSession spark = SparkSessions.create(config, "bench-freshness");
            TableCatalog.createMissing(spark, config.storage().tableRoot(), Tables.ALL); // every table the API reads
            trino.start(config);
            KafkaTopics.ensure(bootstrap, config.kafka().appLogTopic(), AppLogIngestJob.TOPIC_PARTITIONS);
            StreamingQuery ingest = AppLogIngestJob.intoDelta(spark, config).startOnTopic(spark, config,
                    config.ingest().trigger());
            try (ApiServer api = ApiServer.start(new LiveFigures(config), "127.0.0.1", 0)) {
                Duration patience = Duration.ofMinutes(2);
                // devices numbered above any the generators use, so each is new today; the warm-up's apart
                FreshnessBenchmark.run(bootstrap, config.kafka().appLogTopic(), api.uri(), config.timeZone(), 10_000_000,
                        Duration.ofSeconds(warmUpSeconds), devicesPerSecond, patience);
                int warmUpBatches = ingest.recentProgress().length;
                FreshnessBenchmark.Result result = FreshnessBenchmark.run(bootstrap, config.kafka().appLogTopic(), api.uri(),
                        config.timeZone(), 20_000_000, Duration.ofSeconds(seconds), devicesPerSecond, patience);
                long[] batchMillis = Arrays.stream(ingest.recentProgress()).skip(warmUpBatches)
                        .filter(progress -> progress.numInputRows() > 0)
                        .mapToLong(progress -> progress.durationMs().get("triggerExecution")).sorted().toArray();
                System.out.printf("| devices | trigger | p50 ms | p95 ms | max ms | micro-batch p50 ms | micro-batch max ms | slowest API answer ms |%n");
                System.out.printf("|---|---|---|---|---|---|---|---|%n");
                System.out.printf("| %d | %s | %d | %d | %d | %d | %d | %d |%n", result.freshnessMillis().size(), trigger,
                        result.percentile(0.5), result.percentile(0.95), result.percentile(1.0),
                        batchMillis.length == 0 ? 0 : batchMillis[batchMillis.length / 2],
                        batchMillis.length == 0 ? 0 : batchMillis[batchMillis.length - 1], result.slowestAnswerMillis());
            } finally {
                if (ingest.isActive()) {
                    ingest.processAllAvailable(); // stops between micro-batches, not in one
                }
                ingest.stop();
            }
        } finally {
            trino.stop();
            broker.stop();
        }
        return 0;
    }

    @Command(name = "peers", description = "Plain append, Redis SET NX then append, dropDuplicatesWithinWatermark then append,"
            + " and our MERGE, over the same batches (e.g. --devices 5000 --days 11).")
    int peers(@Mixin GenerateCommand.LogGenerationOptions generation,
              @Option(names = "--batch-size", defaultValue = "20000", description = "messages per batch (default: ${DEFAULT-VALUE})") int batchSize,
              @Option(names = "--work-dir", defaultValue = "var/bench-peers", description = "fresh folder for the tables") Path workDir)
            throws Exception {
        requireFresh(workDir);
        LakehouseConfig config = cli.config().toBuilder().tableRoot(workDir.resolve("tables")).build();
        List<GeneratedMessage> messages = AppLogGenerator.generate(generation.settings(config.timeZone()));
        List<List<GeneratedMessage>> batches = new ArrayList<>();
        for (int from = 0; from < messages.size(); from += batchSize) {
            batches.add(messages.subList(from, Math.min(messages.size(), from + batchSize)));
        }
        if (batches.size() < 2) {
            throw new ConfigException(messages.size() + " messages make one batch of " + batchSize
                    + "; generate more (--devices, --days) or lower --batch-size");
        }
        // what an exact dedup keeps, counted here: the distinct bytes of the valid messages
        long distinct = messages.stream().filter(GeneratedMessage::valid)
                .map(message -> new String(message.value(), StandardCharsets.ISO_8859_1)).distinct().count();
        Files.createDirectories(workDir);
        SparkSession spark = SparkSessions.create(config, "bench-peers");
        TableCatalog.createMissing(spark, config.storage().tableRoot(), List.of(Tables.ODS_APP_LOG));
        List<PeersBenchmark.PeerResult> results;
        try (PeersBenchmark.LocalRedis redis = new PeersBenchmark.LocalRedis(LocalServer.freePort(), workDir.resolve("redis.log"))) {
            results = PeersBenchmark.run(spark, config, batches, redis.port, workDir);
        }
        double append = results.get(0).messagesPerSecond();
        System.out.printf("%d batches of up to %d messages; the first warms the JVM and is not counted; an exact dedup keeps %d rows%n",
                batches.size(), batchSize, distinct);
        System.out.println("| path | msg/s | ratio to append | rows kept |");
        System.out.println("|---|---|---|---|");
        results.forEach(result -> System.out.printf("| %s | %.0f | %.2f | %d |%n", result.peer(), result.messagesPerSecond(),
                result.messagesPerSecond() / append, result.rowsKept()));
        return 0;
    }

    /** Every benchmark starts from nothing, so earlier tables cannot flatter or burden it. */
    private static void requireFresh(Path workDir) {
        if (Files.exists(workDir)) {
            throw new ConfigException(workDir + " exists; remove it or choose another --work-dir");
        }
    }
}
