package com.example.lakehouse.dev.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

import com.example.lakehouse.cli.LakehouseCli;
import com.example.lakehouse.config.ConfigException;
import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.dev.bench.CdcBenchmark;
import com.example.lakehouse.dev.bench.FreshnessBenchmark;
import com.example.lakehouse.dev.bench.IngestBenchmark;
import com.example.lakehouse.dev.bench.PeersBenchmark;
import com.example.lakehouse.dev.bench.WithinDayBenchmark;
import com.example.lakehouse.dev.generate.AppLogGenerator;
import com.example.lakehouse.table.Tables;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** `lakehouse bench <name>`: checks the arguments and runs one benchmark of dev/bench into a fresh folder. */
@Command(name = "bench", description = "Benchmarks; results go to stdout (see docs/benchmarks.md).")
final class BenchCommand {
    @ParentCommand
    LakehouseCli cli;

    @Command(name = "ingest", description = "Plain append vs dedup MERGE, and MERGE time as ods_app_log grows.")
    int ingest(@Mixin GenerateCommand.LogGenerationOptions generation,
               @Option(names = "--work-dir", defaultValue = "var/bench", description = "fresh folder for the tables") Path workDir) {
        if (generation.days < 3) {
            throw new ConfigException("--days must be at least 3: a warm-up batch and two measured ones");
        }
        LakehouseConfig config = withTablesIn(workDir);
        IngestBenchmark.report(config, generation.settings(config.timeZone()));
        return 0;
    }

    @Command(name = "within-day", description = "Consecutive micro-batches of one day into the same dt partition:"
            + " does a batch cost more as the day's partition grows?")
    int withinDay(@Option(names = "--devices", defaultValue = "250000", description = "devices of the generated day (default: ${DEFAULT-VALUE})") int devices,
                  @Option(names = "--batches", defaultValue = "50", description = "measured batches, after one warm-up batch (default: ${DEFAULT-VALUE})") int batches,
                  @Option(names = "--batch-size", defaultValue = "20000", description = "messages per batch (default: ${DEFAULT-VALUE})") int batchSize,
                  @Option(names = "--seed", defaultValue = "1", description = "random seed (default: ${DEFAULT-VALUE})") long seed,
                  @Option(names = "--work-dir", defaultValue = "var/bench-within-day", description = "fresh folder for the tables") Path workDir) {
        if (devices < 1 || batches < 6 || batchSize < 1) {
            throw new ConfigException("--devices and --batch-size must be at least 1, --batches at least 6");
        }
        WithinDayBenchmark.report(withTablesIn(workDir), devices, batches, batchSize, seed);
        return 0;
    }

    @Command(name = "cdc", description = "CDC batch time (ods_maxwell + version-guarded MERGE) as ods_order_info grows.")
    int cdc(@Option(names = "--days", defaultValue = "11", description = "batches, one day each (default: ${DEFAULT-VALUE})") int days,
            @Option(names = "--orders-per-day", defaultValue = "20000", description = "inserts per batch (default: ${DEFAULT-VALUE})") int ordersPerDay,
            @Option(names = "--updates-per-day", defaultValue = "5000", description = "status updates of earlier orders per batch (default: ${DEFAULT-VALUE})") int updatesPerDay,
            @Option(names = "--start-date", defaultValue = "2024-03-01", description = "first day (default: ${DEFAULT-VALUE})") LocalDate startDate,
            @Option(names = "--seed", defaultValue = "1", description = "random seed (default: ${DEFAULT-VALUE})") long seed,
            @Option(names = "--work-dir", defaultValue = "var/bench-cdc", description = "fresh folder for the tables") Path workDir) {
        if (days < 3 || ordersPerDay < 1 || updatesPerDay < 0) {
            throw new ConfigException("--days must be at least 3, --orders-per-day at least 1, --updates-per-day not negative");
        }
        LakehouseConfig config = withTablesIn(workDir);
        CdcBenchmark.reportGrowth(config, CdcBenchmark.orderChanges(startDate, days, ordersPerDay, updatesPerDay,
                config.timeZone(), seed));
        return 0;
    }

    @Command(name = "cdc-tables", description = "CDC micro-batches of a live shop: changes spread over every captured table.")
    int cdcTables(@Option(names = "--batches", defaultValue = "11", description = "batches (default: ${DEFAULT-VALUE})") int batches,
                  @Option(names = "--changes-per-batch", defaultValue = "1000", description = "changes per batch (default: ${DEFAULT-VALUE})") int changesPerBatch,
                  @Option(names = "--work-dir", defaultValue = "var/bench-cdc-tables", description = "fresh folder for the tables") Path workDir) {
        if (batches < 2 || changesPerBatch < Tables.MIRRORS.size()) {
            throw new ConfigException("--batches must be at least 2, --changes-per-batch at least " + Tables.MIRRORS.size());
        }
        CdcBenchmark.reportTables(withTablesIn(workDir), batches, changesPerBatch);
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
        FreshnessBenchmark.report(cli.config(), workDir, seconds, warmUpSeconds, devicesPerSecond, trigger);
        return 0;
    }

    @Command(name = "peers", description = "Plain append, Redis SET NX then append, dropDuplicatesWithinWatermark then append,"
            + " and our MERGE, over the same batches (e.g. --devices 5000 --days 11).")
    int peers(@Mixin GenerateCommand.LogGenerationOptions generation,
              @Option(names = "--batch-size", defaultValue = "20000", description = "messages per batch (default: ${DEFAULT-VALUE})") int batchSize,
              @Option(names = "--work-dir", defaultValue = "var/bench-peers", description = "fresh folder for the tables") Path workDir)
            throws Exception {
        LakehouseConfig config = withTablesIn(workDir);
        PeersBenchmark.report(config, AppLogGenerator.generate(generation.settings(config.timeZone())), batchSize, workDir);
        return 0;
    }

    /** The configuration with its table root in {@code workDir}, which must not exist yet. */
    private LakehouseConfig withTablesIn(Path workDir) {
        requireFresh(workDir);
        return cli.config().toBuilder().tableRoot(workDir.resolve("tables")).build();
    }

    /** Every benchmark starts from nothing, so earlier tables cannot flatter or burden it. */
    private static void requireFresh(Path workDir) {
        if (Files.exists(workDir)) {
            throw new ConfigException(workDir + " exists; remove it or choose another --work-dir");
        }
    }
}
