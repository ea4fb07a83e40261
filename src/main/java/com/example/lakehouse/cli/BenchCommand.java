package com.example.lakehouse.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.SparkSession;

import com.example.lakehouse.bench.CdcBenchmark;
import com.example.lakehouse.bench.IngestBenchmark;
import com.example.lakehouse.bench.IngestBenchmark.BatchTiming;
import com.example.lakehouse.config.ConfigException;
import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.generate.AppLogGenerator;
import com.example.lakehouse.generate.GeneratedMessage;
import com.example.lakehouse.job.AppLogIngestJob;
import com.example.lakehouse.job.CdcIngestJob;
import com.example.lakehouse.job.SparkSessions;
import com.example.lakehouse.table.TableCatalog;
import com.example.lakehouse.table.Tables;

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
        if (Files.exists(workDir)) {
            throw new ConfigException(workDir + " exists; remove it or choose another --work-dir");
        }
        LakehouseConfig config = cli.config().with(Map.of("lakehouse.table-root", workDir.resolve("tables").toString()));
        AppLogGenerator.Settings settings = generation.settings(config.timeZone());
        List<GeneratedMessage> messages = AppLogGenerator.generate(settings);
        // consecutive slices of the send order, one per day on average: batch i merges into i days of history
        int batches = settings.days();
        List<List<GeneratedMessage>> slices = new ArrayList<>();
        for (int i = 0; i < batches; i++) {
            slices.add(messages.subList(i * messages.size() / batches, (i + 1) * messages.size() / batches));
        }
        SparkSession spark = SparkSessions.create(config, "bench-ingest");
        TableCatalog.createMissing(spark, config.tableRoot(), AppLogIngestJob.TABLES);
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
        if (Files.exists(workDir)) {
            throw new ConfigException(workDir + " exists; remove it or choose another --work-dir");
        }
        if (days < 3 || ordersPerDay < 1 || updatesPerDay < 0) {
            throw new ConfigException("--days must be at least 3, --orders-per-day at least 1, --updates-per-day not negative");
        }
        LakehouseConfig config = cli.config().with(Map.of("lakehouse.table-root", workDir.resolve("tables").toString()));
        List<List<GeneratedMessage>> batches = CdcBenchmark.orderChanges(startDate, days, ordersPerDay, updatesPerDay,
                config.timeZone(), seed);
        SparkSession spark = SparkSessions.create(config, "bench-cdc");
        TableCatalog.createMissing(spark, config.tableRoot(), CdcIngestJob.TABLES);
        List<CdcBenchmark.BatchTiming> timings = CdcBenchmark.run(spark, batches);
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
        if (Files.exists(workDir)) {
            throw new ConfigException(workDir + " exists; remove it or choose another --work-dir");
        }
        if (batches < 2 || changesPerBatch < Tables.MIRRORS.size()) {
            throw new ConfigException("--batches must be at least 2, --changes-per-batch at least " + Tables.MIRRORS.size());
        }
        LakehouseConfig config = cli.config().with(Map.of("lakehouse.table-root", workDir.resolve("tables").toString()));
        SparkSession spark = SparkSessions.create(config, "bench-cdc-tables");
        TableCatalog.createMissing(spark, config.tableRoot(), CdcIngestJob.TABLES);
        List<CdcBenchmark.BatchTiming> timings = CdcBenchmark.run(spark,
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
}
