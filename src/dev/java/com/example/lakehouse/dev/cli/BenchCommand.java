package com.example.lakehouse.dev.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;

import com.example.lakehouse.cli.LakehouseCli;
import com.example.lakehouse.config.ConfigException;
import com.example.lakehouse.config.ConfigKeys;
import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.dev.bench.ApiBenchmark;
import com.example.lakehouse.dev.bench.CdcBenchmark;
import com.example.lakehouse.dev.bench.FreshnessBenchmark;
import com.example.lakehouse.dev.bench.IngestBenchmark;
import com.example.lakehouse.dev.bench.LocalCommitsBenchmark;
import com.example.lakehouse.dev.bench.LogListingBenchmark;
import com.example.lakehouse.dev.bench.MirrorLagBenchmark;
import com.example.lakehouse.dev.bench.PeersBenchmark;
import com.example.lakehouse.dev.bench.RecoveryBenchmark;
import com.example.lakehouse.dev.bench.SqlJobsBenchmark;
import com.example.lakehouse.dev.bench.WithinDayBenchmark;
import com.example.lakehouse.dev.demo.Demo;
import com.example.lakehouse.dev.generate.AppLogGenerator;
import com.example.lakehouse.dev.stack.LocalMariaDb;
import com.example.lakehouse.table.Tables;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** `lakehouse bench <name>`: checks the arguments and runs one benchmark of dev/bench into a fresh folder. */
@Command(name = "bench", description = "Benchmarks; results go to stdout (see docs/benchmarks.md).")
final class BenchCommand {
    /**
     * How long the ingests run under `bench freshness`'s load before its second phase: long enough for their JVMs
     * to have compiled what the load runs (docs/benchmarks.md), so that phase measures a running pipeline.
     */
    private static final int FRESHNESS_RUNNING_MINUTES = 10;
    /** The same for `bench mirrors`' second phase, counted from when its load begins. */
    private static final int MIRRORS_RUNNING_MINUTES = 6;
    /** A ratio or multiple against its goal: three decimals, since two printed 0.5995 as the goal of 0.6 itself. */
    private static final String RATIO = "%.3f";

    @ParentCommand
    LakehouseCli cli;

    @Command(name = "ingest", description = "Plain append vs the ingest's whole batch, and its time as ods_app_log grows.")
    int ingest(@Mixin GenerateCommand.LogGenerationOptions generation,
               @Option(names = "--batch-size", defaultValue = "0", description = "messages per batch; 0: a day's worth (default: ${DEFAULT-VALUE})") int batchSize,
               @Option(names = "--history-days", defaultValue = "0", description = "days of earlier logs, a file each, in the"
                       + " tables before the first batch, as after that many days of ingest (default: ${DEFAULT-VALUE})") int historyDays,
               @Option(names = "--work-dir", defaultValue = "var/bench", description = "fresh folder for the tables") Path workDir) {
        if (generation.days < 3 || batchSize < 0 || historyDays < 0) {
            throw new ConfigException("--days must be at least 3 (a warm-up batch and two measured ones), --batch-size and"
                    + " --history-days not negative");
        }
        LakehouseConfig config = withTablesIn(workDir);
        IngestBenchmark.report(config, cli.tables(), generation.settings(config.timeZone()), batchSize, historyDays);
        return 0;
    }

    @Command(name = "within-day", description = "Consecutive micro-batches of one day into the same dt partition:"
            + " does a batch cost more as the day's partition grows?")
    int withinDay(@Option(names = "--devices", defaultValue = "250000", description = "devices of the generated day (default: ${DEFAULT-VALUE})") int devices,
                  @Option(names = "--batches", defaultValue = "50", description = "measured batches, after one warm-up batch (default: ${DEFAULT-VALUE})") int batches,
                  @Option(names = "--batch-size", defaultValue = "20000", description = "messages per batch (default: ${DEFAULT-VALUE})") int batchSize,
                  @Option(names = "--seed", defaultValue = "1", description = "random seed (default: ${DEFAULT-VALUE})") long seed,
                  @Option(names = "--work-dir", defaultValue = "var/bench-within-day", description = "fresh folder for the tables") Path workDir) {
        if (devices < 1 || batches < WithinDayBenchmark.MIN_BATCHES || batchSize < 1) {
            throw new ConfigException("--devices and --batch-size must be at least 1, --batches at least "
                    + WithinDayBenchmark.MIN_BATCHES);
        }
        WithinDayBenchmark.report(withTablesIn(workDir), cli.tables(), devices, batches, batchSize, seed);
        return 0;
    }

    @Command(name = "cdc", description = "CDC batch time (the capture: ods_maxwell and the order mirror; then the other mirrors) as ods_order_info grows.")
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
        CdcBenchmark.reportGrowth(config, cli.tables(), CdcBenchmark.orderChanges(startDate, days, ordersPerDay, updatesPerDay,
                config.timeZone(), seed));
        return 0;
    }

    @Command(name = "cdc-tables", description = "CDC micro-batches of a live shop: changes spread over every captured table.")
    int cdcTables(@Option(names = "--batches", defaultValue = "11", description = "batches (default: ${DEFAULT-VALUE})") int batches,
                  @Option(names = "--changes-per-batch", defaultValue = "1000", description = "changes per batch (default: ${DEFAULT-VALUE})") int changesPerBatch,
                  @Option(names = "--work-dir", defaultValue = "var/bench-cdc-tables", description = "fresh folder for the tables") Path workDir) {
        Tables tables = cli.tables();
        if (batches < 2 || changesPerBatch < tables.mirrors().size()) {
            throw new ConfigException("--batches must be at least 2, --changes-per-batch at least " + tables.mirrors().size());
        }
        CdcBenchmark.reportTables(withTablesIn(workDir), tables, batches, changesPerBatch);
        return 0;
    }

    @Command(name = "log-listing", description = "One listing of a local table's Delta log as it grows: Delta's own store"
            + " for local tables against this project's, on logs of so many commits.")
    int logListing(@Option(names = "--commits", defaultValue = "150,1500,15000,86400", split = ",",
                           description = "commits in each log (default: ${DEFAULT-VALUE}; 86,400: a day of one a second)") List<Integer> commits,
                   @Option(names = "--work-dir", defaultValue = "var/bench-log-listing", description = "fresh folder for the logs") Path workDir) {
        requireFresh(workDir);
        if (commits.stream().anyMatch(count -> count < 1)) {
            throw new ConfigException("--commits must be positive numbers, e.g. 150,1500");
        }
        LogListingBenchmark.report(commits, workDir);
        return 0;
    }

    @Command(name = "local-commits", description = "A file written as Delta commits and Spark checkpoints a stream on a"
            + " local path (a temporary file renamed over its name): Hadoop's local file system against this project's.")
    int localCommits(@Option(names = "--files", defaultValue = "200", description = "files timed with each (default: ${DEFAULT-VALUE})") int files,
                     @Option(names = "--work-dir", defaultValue = "var/bench-local-commits", description = "fresh folder for the files") Path workDir) {
        requireFresh(workDir);
        if (files < 1) {
            throw new ConfigException("--files must be a positive number, e.g. 200");
        }
        LocalCommitsBenchmark.report(files, workDir);
        return 0;
    }

    @Command(name = "freshness", description = "Time from an event produced to Kafka to its device counted by the query API,"
            + " and from an order committed in MariaDB to its GMV counted, with both ingests, Maxwell, Trino and the API"
            + " running here.")
    int freshness(@Option(names = "--seconds", defaultValue = "180", description = "measured production time, in each phase (default: ${DEFAULT-VALUE})") int seconds,
                  @Option(names = "--warm-up-seconds", defaultValue = "30", description = "production before the first phase, the ingests' first minutes (default: ${DEFAULT-VALUE})") int warmUpSeconds,
                  @Option(names = "--running-minutes", defaultValue = "" + FRESHNESS_RUNNING_MINUTES,
                          description = "production from the start before the second phase, the running ingests' (default: ${DEFAULT-VALUE})") int runningMinutes,
                  @Option(names = "--devices-per-second", defaultValue = "20", description = "new devices a second (default: ${DEFAULT-VALUE})") int devicesPerSecond,
                  @Option(names = "--other-messages-per-second", defaultValue = "2000",
                          description = "ordinary traffic beside them: other days' messages (default: ${DEFAULT-VALUE})") int otherPerSecond,
                  @Option(names = "--orders-per-minute", defaultValue = "30",
                          description = "new orders a minute in the source database; 0 leaves the shop out (default: ${DEFAULT-VALUE})") int ordersPerMinute,
                  @Option(names = "--live-trigger", defaultValue = "1 second", description = "the live queries' trigger (default: ${DEFAULT-VALUE})") String liveTrigger,
                  @Option(names = "--trigger", defaultValue = "10 seconds", description = "the archive query's trigger (default: ${DEFAULT-VALUE})") String trigger,
                  @Option(names = "--work-dir", defaultValue = "var/bench-freshness", description = "fresh folder for the tables and servers") Path workDir)
            throws Exception {
        requireFresh(workDir);
        if (seconds < 1 || warmUpSeconds < 0 || runningMinutes < 0 || devicesPerSecond < 1 || otherPerSecond < 0 || ordersPerMinute < 0) {
            throw new ConfigException("--seconds and --devices-per-second must be at least 1, --warm-up-seconds,"
                    + " --running-minutes, --other-messages-per-second and --orders-per-minute not negative");
        }
        if (ordersPerMinute > 0 && !LocalMariaDb.isInstalled()) {
            throw new ConfigException("the orders' freshness needs the MariaDB server (bin/install-deps);"
                    + " --orders-per-minute 0 measures the devices' alone");
        }
        FreshnessBenchmark.report(cli.config(), cli.tables(), workDir, seconds, warmUpSeconds, runningMinutes, devicesPerSecond,
                otherPerSecond, ordersPerMinute, liveTrigger, trigger);
        return 0;
    }

    @Command(name = "recovery", description = "kill -9 of the app-log ingest, then `start`: the time to its first"
            + " committed batch, on a copy of the demo's tables; then a kill and start every --restart-seconds while"
            + " devices keep arriving: does each run commit?")
    int recovery(@Option(names = "--rounds", defaultValue = "3", description = "timed kill-and-start rounds (default: ${DEFAULT-VALUE})") int rounds,
                 @Option(names = "--restarts", defaultValue = "5", description = "runs killed after --restart-seconds (default: ${DEFAULT-VALUE})") int restarts,
                 @Option(names = "--restart-seconds", defaultValue = "30", description = "how long each of those runs (default: ${DEFAULT-VALUE})") int restartSeconds,
                 @Option(names = "--work-dir", defaultValue = "var/bench-recovery", description = "fresh folder for the tables' copy and the servers") Path workDir)
            throws Exception {
        requireFresh(workDir);
        if (rounds < 1 || restarts < 0 || restartSeconds < 1) {
            throw new ConfigException("--rounds and --restart-seconds must be at least 1, --restarts not negative");
        }
        RecoveryBenchmark.report(cli.config(), workDir, rounds, restarts, Duration.ofSeconds(restartSeconds));
        return 0;
    }

    @Command(name = "mirrors", description = "How far the CDC ingest's mirrors trail the source database at a steady rate"
            + " of new rows over every captured table, and the ingest's CPU idle and under that load, with MariaDB,"
            + " Maxwell and `start ingest-cdc` on a copy of the demo's tables.")
    int mirrors(@Option(names = "--changes-per-minute", defaultValue = "1000", description = "rows committed a minute (default: ${DEFAULT-VALUE})") int changesPerMinute,
                @Option(names = "--idle-seconds", defaultValue = "60", description = "the idle phase (default: ${DEFAULT-VALUE})") int idleSeconds,
                @Option(names = "--seconds", defaultValue = "120", description = "each measured phase of the load (default: ${DEFAULT-VALUE})") int seconds,
                @Option(names = "--running-minutes", defaultValue = "" + MIRRORS_RUNNING_MINUTES,
                        description = "load before the second measured phase, the running ingest's (default: ${DEFAULT-VALUE})") int runningMinutes,
                @Option(names = "--mirror-trigger", description = "the mirror query's trigger (default: the configured ingest.mirror-trigger)") String mirrorTrigger,
                @Option(names = "--work-dir", defaultValue = "var/bench-mirrors", description = "fresh folder for the tables' copy and the servers") Path workDir)
            throws Exception {
        requireFresh(workDir);
        if (changesPerMinute < 1 || idleSeconds < 1 || seconds < 1 || runningMinutes < 0) {
            throw new ConfigException("--changes-per-minute, --idle-seconds and --seconds must be at least 1, --running-minutes not negative");
        }
        if (!LocalMariaDb.isInstalled()) {
            throw new ConfigException("bench mirrors needs the MariaDB server (bin/install-deps)");
        }
        MirrorLagBenchmark.report(cli.config(), cli.tables(), workDir,
                mirrorTrigger != null ? mirrorTrigger : configuredMirrorTrigger(cli.config()), changesPerMinute, Duration.ofSeconds(idleSeconds),
                Duration.ofSeconds(seconds), runningMinutes);
        return 0;
    }

    @Command(name = "api", description = "Viewers of the live page (its four calls every 3 s each) against the query API,"
            + " with the ingest and Trino running here: requests/s, latency and Trino queries/s.")
    int api(@Option(names = "--viewers", defaultValue = "1,50,200", split = ",",
                    description = "numbers of viewers, one phase each (default: ${DEFAULT-VALUE})") List<Integer> viewers,
            @Option(names = "--seconds", defaultValue = "60", description = "length of each phase (default: ${DEFAULT-VALUE})") int seconds,
            @Option(names = "--other-messages-per-second", defaultValue = "200",
                    description = "traffic the ingest takes meanwhile (default: ${DEFAULT-VALUE})") int otherPerSecond,
            @Option(names = "--work-dir", defaultValue = "var/bench-api", description = "fresh folder for the tables and servers") Path workDir)
            throws Exception {
        requireFresh(workDir);
        if (seconds < 1 || otherPerSecond < 0 || viewers.stream().anyMatch(count -> count < 1)) {
            throw new ConfigException("--seconds and each of --viewers must be at least 1, --other-messages-per-second"
                    + " not negative");
        }
        ApiBenchmark.report(cli.config(), cli.tables(), workDir, viewers, seconds, otherPerSecond);
        return 0;
    }

    @Command(name = "peers", description = "Plain append, Redis SET NX then append, dropDuplicatesWithinWatermark then append,"
            + " and our keyed insert, over the same batches (e.g. --devices 5000 --days 11).")
    int peers(@Mixin GenerateCommand.LogGenerationOptions generation,
              @Option(names = "--batch-size", defaultValue = "20000", description = "messages per batch (default: ${DEFAULT-VALUE})") int batchSize,
              @Option(names = "--work-dir", defaultValue = "var/bench-peers", description = "fresh folder for the tables") Path workDir)
            throws Exception {
        LakehouseConfig config = withTablesIn(workDir);
        PeersBenchmark.report(config, cli.tables(), AppLogGenerator.generate(generation.settings(config.timeZone())), batchSize, workDir);
        return 0;
    }

    @Command(name = "sql-jobs", description = "One day of each pipeline's SQL jobs on the configured tables (the demo's):"
            + " `run dau|orders` in a new JVM, then the same day in a warm session.")
    int sqlJobs(@Option(names = "--date", description = "the day to build (default: yesterday, the demo's last closed day)") LocalDate date,
                @Option(names = "--work-dir", defaultValue = "var/bench-sql-jobs", description = "fresh folder for the runs' config and logs") Path workDir) {
        requireFresh(workDir);
        SqlJobsBenchmark.report(cli.config(), cli.tables(), date != null ? date : Demo.latestClosedDay(cli.config()), workDir);
        return 0;
    }

    @Command(name = "all", description = "The demo, then every benchmark but api at its documented size (about 45"
            + " minutes on 2 cores), then one table of the fast path's figures against their goals.")
    int all(@Mixin GenerateCommand.LogGenerationOptions demoLogs,
            @Mixin GenerateCommand.OrderGenerationOptions demoShop,
            @Option(names = "--work-dir", defaultValue = "var/bench-all", description = "fresh folder for the benchmarks' tables") Path workDir)
            throws Exception {
        requireFresh(workDir);
        if (!LocalMariaDb.isInstalled() || !PeersBenchmark.LocalRedis.isInstalled()) {
            throw new ConfigException("bench all needs the MariaDB server (the demo's order path) and redis-server"
                    + " (the peers): apt-get install mariadb-server redis-server");
        }
        LakehouseConfig config = cli.config();
        Tables tables = cli.tables();
        List<String> figures = new ArrayList<>();

        section("the demo (its tables are the SQL jobs' input)");
        AppLogGenerator.Settings logs = demoLogs.settingsUntilNow(config.timeZone(), Instant.now());
        long demoStarted = System.nanoTime();
        new Demo(config, tables).run(logs, Optional.of(demoShop.settings(logs)));
        long demoMillis = (System.nanoTime() - demoStarted) / 1_000_000;

        section("SQL jobs: one day of each pipeline");
        for (SqlJobsBenchmark.Timing timing : SqlJobsBenchmark.report(config, tables, Demo.latestClosedDay(config), workDir.resolve("sql-jobs"))) {
            figures.add(figure("`run " + timing.pipeline() + " --date D`, new JVM / warm session", "≤ 15 s",
                    String.format("%.1f s / %.1f s", timing.newJvmMillis() / 1000.0, timing.warmSessionMillis() / 1000.0)));
        }
        figures.add(figure("the demo, warm build", "≤ 4 min", String.format("%d:%02d", demoMillis / 60_000, demoMillis / 1000 % 60)));

        for (int batchSize : List.of(20_000, 200_000)) {
            section("dedup peers, batches of " + batchSize);
            // enough messages for a warm-up batch and several measured ones at either size
            int devices = batchSize == 20_000 ? 5_000 : 20_000;
            Path dir = workDir.resolve("peers-" + batchSize);
            List<PeersBenchmark.PeerResult> peers = PeersBenchmark.report(tablesIn(config, dir), tables,
                    AppLogGenerator.generate(new AppLogGenerator.Settings(devices, 11, LocalDate.of(2024, 3, 1), config.timeZone(),
                            1, 0.3, 0.05, 0.01)), batchSize, dir);
            figures.add(figure("dedup ingest / plain append, batches of " + batchSize, "≥ 0.8",
                    String.format(RATIO, PeersBenchmark.PeerResult.ratio(peers, PeersBenchmark.OURS, PeersBenchmark.PLAIN_APPEND))));
            figures.add(figure("ours / the Redis path, batches of " + batchSize, "≥ 1.5",
                    String.format(RATIO, PeersBenchmark.PeerResult.ratio(peers, PeersBenchmark.OURS, PeersBenchmark.REDIS))));
        }

        // the whole batch against a plain append: 100 messages; a day's worth of 5,000 devices (21,303), into new tables
        // and into tables of a year of days; of 47,000 devices (about 200,000)
        for (IngestSize size : List.of(new IngestSize(5_000, 11, 100, 0), new IngestSize(5_000, 11, 0, 0),
                new IngestSize(5_000, 11, 0, 365), new IngestSize(47_000, 6, 0, 0))) {
            section("the ingest's whole batch against a plain append, " + size.describe());
            LakehouseConfig dir = tablesIn(config, workDir.resolve("ingest-" + size.devices() + "-" + size.batchSize()
                    + "-" + size.historyDays()));
            double ratio = IngestBenchmark.report(dir, tables, new AppLogGenerator.Settings(size.devices(), size.days(),
                    LocalDate.of(2024, 3, 1), config.timeZone(), 1, 0.3, 0.05, 0.01), size.batchSize(), size.historyDays());
            figures.add(size.batchSize() == 100
                    ? figure("whole ingest batch of 100 messages, in plain appends' time", "≤ 3×", String.format(RATIO + "×", 1 / ratio))
                    : figure("whole ingest batch / plain append, " + size.describe(), size.devices() == 5_000 ? "≥ 0.6" : "≥ 0.8",
                            String.format(RATIO, ratio)));
        }

        section("within a day: 50 batches of 20,000 into one dt partition");
        double withinDay = WithinDayBenchmark.report(tablesIn(config, workDir.resolve("within-day")), tables, 250_000, 50, 20_000, 1);
        figures.add(figure("within a day: mean of batches 41-50 / mean of batches 11-20", "≤ 1.3", String.format(RATIO, withinDay)));

        section("CDC: batches of 1,000 changes over every captured table");
        CdcBenchmark.Medians cdc = CdcBenchmark.reportTables(tablesIn(config, workDir.resolve("cdc-tables")), tables, 11, 1000);
        figures.add(figure("CDC batch of 1,000 changes over " + tables.mirrors().size() + " tables, median: capture"
                + " / applying them to the mirrors", "≤ 10 s", String.format("%.1f s / %.1f s", cdc.captureMillis() / 1000.0,
                cdc.mirrorMillis() / 1000.0)));

        section("CDC: batches of 20,000 order changes into a growing ods_order_info");
        LakehouseConfig cdcConfig = tablesIn(config, workDir.resolve("cdc"));
        double changesPerSecond = CdcBenchmark.reportGrowth(cdcConfig, tables, CdcBenchmark.orderChanges(LocalDate.of(2024, 3, 1),
                11, 16_000, 4_000, cdcConfig.timeZone(), 1));
        figures.add(figure("CDC changes/s at 20,000-change batches", "reported", String.format("%.0f", changesPerSecond)));

        section("recovery: kill -9 of the app-log ingest, then start, on a copy of the demo's tables");
        RecoveryBenchmark.Result recovery = RecoveryBenchmark.report(config, workDir.resolve("recovery"), 3, 5,
                Duration.ofSeconds(30));
        figures.add(figure("kill -9, then `start ingest-logs`: both queries' first batch committed, slowest of 3 rounds",
                "≤ 20 s", String.format("%.1f s", recovery.slowestFirstBatchMillis() / 1000.0)));
        figures.add(figure("restarted every 30 s: batches committed by either query in the poorest of 5 runs", "≥ 1",
                String.valueOf(recovery.fewestBatches())));

        section("the CDC ingest's mirrors at 1,000 new rows a minute, on a copy of the demo's tables");
        MirrorLagBenchmark.Result mirrors = MirrorLagBenchmark.report(config, tables, workDir.resolve("mirrors"),
                configuredMirrorTrigger(config), 1000,
                Duration.ofSeconds(60), Duration.ofSeconds(120), MIRRORS_RUNNING_MINUTES);
        figures.add(figure("a new row in its mirror at 1,000 rows a minute over every captured table, max behind its capture, loaded "
                + MIRRORS_RUNNING_MINUTES + " minutes (in its first minutes under load)", "≤ 10 s", String.format("%.1f s (%.1f s)",
                Collections.max(mirrors.running().lagBehindCaptureMillis()) / 1000.0,
                Collections.max(mirrors.afterLoadBegan().lagBehindCaptureMillis()) / 1000.0)));
        figures.add(figure("the same, behind its commit in the source database, max", "reported", String.format("%.1f s (%.1f s)",
                Collections.max(mirrors.running().lagMillis()) / 1000.0, Collections.max(mirrors.afterLoadBegan().lagMillis()) / 1000.0)));
        figures.add(figure("CDC ingest's CPU seconds a minute: idle / at 1,000 rows a minute, loaded " + MIRRORS_RUNNING_MINUTES
                + " minutes (in its first minutes under load)", "reported", String.format("%.1f / %.1f (%.1f)", mirrors.idleCpuPerMinute(),
                mirrors.running().cpuPerMinute(), mirrors.afterLoadBegan().cpuPerMinute())));

        section("freshness: both live figures through the query API, at 20 new devices and 2,000 other messages a second");
        FreshnessBenchmark.Phases freshness = FreshnessBenchmark.report(config, tables, workDir.resolve("freshness"), 180, 30,
                FRESHNESS_RUNNING_MINUTES, 20, 2_000, 30, "1 second", "10 seconds");
        figures.add(figure("a new device counted by /realtime-total, p95, ingests running " + FRESHNESS_RUNNING_MINUTES
                + " minutes (in their first minutes after a start)", "≤ 5 s", p95AndAfterStart(freshness, FreshnessBenchmark.Result::devices)));
        figures.add(figure("a new order's GMV counted by /realtime-total, p95, ingests running " + FRESHNESS_RUNNING_MINUTES
                + " minutes (in their first minutes after a start)", "≤ 10 s", p95AndAfterStart(freshness, FreshnessBenchmark.Result::orders)));

        section("the fast path's figures (details above; docs/benchmarks.md says what bounds each)");
        System.out.println("| figure | goal | measured |");
        System.out.println("|---|---|---|");
        figures.forEach(System.out::println);
        return 0;
    }

    /** The mirror trigger a user's ingest runs on, as configured. */
    private static String configuredMirrorTrigger(LakehouseConfig config) {
        return config.asMap().get(ConfigKeys.INGEST_MIRROR_TRIGGER);
    }

    /** Generated devices and days, cut into batches of batchSize messages (0: a day's worth each). */
    private record IngestSize(int devices, int days, int batchSize, int historyDays) {
        String describe() {
            return (batchSize > 0 ? "batches of " + batchSize : "a day's worth of " + devices + " devices a batch")
                    + (historyDays > 0 ? ", on " + historyDays + " earlier days" : "");
        }
    }

    private static String p95AndAfterStart(FreshnessBenchmark.Phases phases,
                                           Function<FreshnessBenchmark.Result, FreshnessBenchmark.Freshness> figure) {
        return String.format("%.1f s (%.1f s)", figure.apply(phases.running()).percentile(0.95) / 1000.0,
                figure.apply(phases.afterStart()).percentile(0.95) / 1000.0);
    }

    private static String figure(String what, String goal, String measured) {
        return "| " + what + " | " + goal + " | " + measured + " |";
    }

    /**
     * Starts a benchmark's part of the output, and stops the Spark session of the one before: the catalog
     * names each table once per session, so a second benchmark's ods_app_log would be the first one's (or
     * the demo's). Each benchmark then starts its own session, as its own command would.
     */
    private static void section(String title) {
        scala.Option<SparkSession> previous = SparkSession.getDefaultSession();
        if (previous.isDefined()) {
            previous.get().stop();
            DeltaLog.clearCache(); // its entries belong to the stopped session
        }
        System.out.println();
        System.out.println("## " + title);
    }

    /** {@code config} with its table root in {@code workDir}. */
    private static LakehouseConfig tablesIn(LakehouseConfig config, Path workDir) {
        return config.toBuilder().tableRoot(workDir.resolve("tables")).build();
    }

    /** The configuration with its table root in {@code workDir}, which must not exist yet. */
    private LakehouseConfig withTablesIn(Path workDir) {
        requireFresh(workDir);
        return tablesIn(cli.config(), workDir);
    }

    /** Every benchmark starts from nothing, so earlier tables cannot flatter or burden it. */
    private static void requireFresh(Path workDir) {
        if (Files.exists(workDir)) {
            throw new ConfigException(workDir + " exists; remove it or choose another --work-dir");
        }
    }
}
