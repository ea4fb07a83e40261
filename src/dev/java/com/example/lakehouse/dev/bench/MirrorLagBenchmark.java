package com.example.lakehouse.dev.bench;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.stream.Stream;

import org.apache.spark.sql.SparkSession;

import com.example.lakehouse.cli.JobControlCommands;
import com.example.lakehouse.cli.LakehouseCli;
import com.example.lakehouse.config.ConfigKeys;
import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.dev.stack.LocalMariaDb;
import com.example.lakehouse.dev.stack.LocalStack;
import com.example.lakehouse.job.CdcIngestJob;
import com.example.lakehouse.job.SparkSessions;
import com.example.lakehouse.process.BackgroundJob;
import com.example.lakehouse.table.MirrorTable;
import com.example.lakehouse.table.Tables;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * How far the CDC ingest's mirrors trail the source database, and what the ingest's JVM costs in CPU, as a user
 * runs it: `start ingest-cdc` on a copy of the demo's tables, with MariaDB and Maxwell here. The ingest first
 * idles; then a client commits new rows at a steady rate, one captured table after another. A row's lag runs
 * from its commit's return to the first commit of its mirror's Delta log that holds it: ids rise within each
 * table and the ingest applies changes in the binlog's order, so that is the first commit adding a file whose
 * statistics' largest id reaches the row's. Maxwell sends a table's rows to the topic's partitions by primary
 * key, and two sends to different partitions can cross by the milliseconds of the producer's batching; a
 * micro-batch planned between them takes the later row only, and the earlier one then counts as applied one
 * batch early. Inserts only: no file holds a replaced row, so the files a commit adds are its new rows. A row's lag
 * behind its capture runs from the ods_maxwell commit that first added its change to the same mirror commit.
 */
public final class MirrorLagBenchmark {
    /** Above every id the demo's shop uses, so each row is new. */
    private static final long FIRST_ID = 900_000_000L;
    /** Between the first ids of two phases of the load: more rows than a table gets in a phase. */
    private static final long ROWS_APART = 10_000_000L;
    private static final Duration PATIENCE = Duration.ofMinutes(3);
    /** Past a start's own work: today's first builds of the order tables, the JIT's first compilations. */
    private static final Duration SETTLE = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The ingest's CPU seconds a minute idle, and two phases of the same load: its first minutes under it, and once
     * it has run under it for a while (the JVM compiles what the load runs as it first runs it).
     */
    public record Result(double idleCpuPerMinute, Loaded afterLoadBegan, Loaded running) {
    }

    /**
     * A measured phase of the load: the ingest's CPU seconds a minute over it, and every row's lag in milliseconds,
     * behind its commit in the source database and behind its capture into ods_maxwell.
     */
    public record Loaded(double cpuPerMinute, List<Long> lagMillis, List<Long> lagBehindCaptureMillis) {
    }

    /** A row committed in the source database: its table, id and when its commit returned. */
    private record Committed(String table, long id, long atMillis) {
        String change() {
            return change(table, String.valueOf(id));
        }

        /** A row's change as {@link #capturedAt} names it: "table/id". */
        static String change(String table, String id) {
            return table + "/" + id;
        }
    }

    /** A commit of a mirror's Delta log: when it was written, and the largest id of the files it added. */
    private record MirrorCommit(long atMillis, long maxId) {
    }

    /** A phase of the load as it ran: when it began, the rows it committed, the CPU it took, the ingest's log over it. */
    private record Phase(long fromSeconds, long toSeconds, List<Committed> committed, double cpuPerMinute,
                         List<String> log) {
        String describe() {
            return String.format("%d-%d s after the load began", fromSeconds, toSeconds);
        }

        /** The phase's figures, given when each row reached its mirror and when each change was captured. */
        Loaded loaded(List<Long> mirroredAt, Map<String, Long> capturedAt) {
            List<Long> lags = new ArrayList<>();
            List<Long> lagsBehindCapture = new ArrayList<>();
            for (int i = 0; i < committed.size(); i++) {
                lags.add(mirroredAt.get(i) - committed.get(i).atMillis());
                // the capture writes the order mirror beside ods_maxwell, in the same batch: no lag behind it
                lagsBehindCapture.add(Math.max(0, mirroredAt.get(i) - capturedAt.get(committed.get(i).change())));
            }
            return new Loaded(cpuPerMinute, lags, lagsBehindCapture);
        }
    }

    /**
     * When the capture committed each benchmark row's change into ods_maxwell, by "table/id": the time of the
     * first commit since {@code sinceMillis} that added a file holding it (the files a compaction writes later
     * change no data, and are not counted).
     */
    private static Map<String, Long> capturedAt(LakehouseConfig config, Tables tables, long sinceMillis) throws IOException {
        Path table = Path.of(URI.create(tables.odsMaxwell().location(config.storage().tableRoot())));
        Map<String, Long> committedAt = new HashMap<>(); // a file's path in the table, and its commit's time
        for (Path commit : MirrorWatch.versions(table.resolve("_delta_log")).values()) {
            long at = Files.getLastModifiedTime(commit).toMillis();
            if (at < sinceMillis) {
                continue;
            }
            for (String line : Files.readAllLines(commit)) {
                JsonNode add = JSON.readTree(line).path("add");
                if (add.path("dataChange").asBoolean(false)) {
                    committedAt.putIfAbsent(URI.create(add.path("path").asText()).getPath(), at);
                }
            }
        }
        SparkSession spark = SparkSessions.create(config, "bench-mirrors", tables.all());
        try {
            String[] files = committedAt.keySet().stream().map(file -> table.resolve(file).toString()).toArray(String[]::new);
            Map<String, Long> captured = new HashMap<>();
            spark.read().parquet(files).where(col("row_id").cast("bigint").geq(FIRST_ID))
                    .select(col("table_name"), col("row_id"), col("_metadata.file_path")).collectAsList()
                    .forEach(row -> captured.merge(Committed.change(row.getString(0), row.getString(1)),
                            committedAt.get(table.relativize(Path.of(URI.create(row.getString(2)))).toString()), Math::min));
            return captured;
        } finally {
            spark.stop();
        }
    }

    private MirrorLagBenchmark() {
    }

    /**
     * `bench mirrors`: copies the demo's tables (those of {@code base}) under {@code workDir}, starts a broker,
     * MariaDB, Maxwell and the CDC ingest there (its mirror query on {@code mirrorTrigger}), idles for
     * {@code idle}, then commits {@code changesPerMinute} new rows a minute: {@code load} measured, on until the
     * load has run for {@code runningMinutes}, then {@code load} measured again, watching the mirrors of
     * {@code tables}; prints the tables of docs/benchmarks.md.
     */
    public static Result report(LakehouseConfig base, Tables tables, Path workDir, String mirrorTrigger, int changesPerMinute,
                                Duration idle, Duration load, int runningMinutes) throws Exception {
        Path runDir = workDir.resolve("run");
        LakehouseConfig withTables = base.toBuilder().tableRoot(DemoCopy.tables(base, workDir))
                .checkpointRoot(workDir.resolve("checkpoints")).runDir(runDir)
                .set(ConfigKeys.INGEST_MIRROR_TRIGGER, mirrorTrigger).build();
        BackgroundJob ingest = JobControlCommands.job("ingest-cdc");
        try (LocalStack stack = new LocalStack(runDir, withTables).startKafka().startSourceDatabase()) {
            stack.startMaxwell();
            LakehouseConfig config = stack.config();
            Path configFile = runDir.resolve("ingest-cdc.properties");
            config.writeTo(configFile);
            Map<String, Path> mirrorLogs = new LinkedHashMap<>();
            for (MirrorTable mirror : tables.mirrors()) {
                mirrorLogs.put(mirror.sourceTable(), Path.of(URI.create(mirror.table().location(
                        config.storage().tableRoot()))).resolve("_delta_log"));
            }
            MirrorWatch watch = new MirrorWatch(mirrorLogs);
            try (Connection db = LocalMariaDb.connect(config.sourceDb().port(), config.sourceDb().database())) {
                ProcessHandle process = ingest.start(runDir, LakehouseCli.class.getName(),
                        List.of("--config", configFile.toString()), Duration.ofMinutes(3));
                Path log = ingest.logFile(runDir);
                Thread.sleep(SETTLE.toMillis());
                double idleCpu = cpuPerMinute(process, idle, log);

                long loadBegan = System.currentTimeMillis();
                watch.start();
                Load rows = new Load(db, config, List.copyOf(mirrorLogs.keySet()), changesPerMinute, process, log,
                        new LoadClock());
                Phase afterLoadBegan = rows.measured(FIRST_ID, load);
                rows.until(FIRST_ID + ROWS_APART, Duration.ofMinutes(runningMinutes));
                Phase running = rows.measured(FIRST_ID + 2 * ROWS_APART, load);
                List<Phase> phases = List.of(afterLoadBegan, running);
                List<List<Long>> mirroredAt = new ArrayList<>();
                for (Phase phase : phases) {
                    mirroredAt.add(watch.mirroredOnceApplied(phase.committed()));
                }
                Map<String, Long> capturedAt = capturedAt(config, tables, loadBegan); // every row is, once in its mirror
                List<Loaded> loaded = new ArrayList<>();
                for (int p = 0; p < phases.size(); p++) {
                    loaded.add(phases.get(p).loaded(mirroredAt.get(p), capturedAt));
                }
                print(mirrorTrigger, changesPerMinute, idleCpu, phases, loaded);
                return new Result(idleCpu, loaded.get(0), loaded.get(1));
            } finally {
                watch.interrupt();
                ingest.stop(runDir, Duration.ofMinutes(1));
            }
        }
    }

    /** The benchmark's load, phase after phase: rows committed at a steady rate by a client thread. */
    private record Load(Connection db, LakehouseConfig config, List<String> tables, int perMinute, ProcessHandle ingest,
                        Path log, LoadClock clock) {

        /** Rows with ids from {@code firstId} for {@code duration}, with the ingest's CPU and log over them. */
        Phase measured(long firstId, Duration duration) throws Exception {
            int logLines = Files.readAllLines(log).size();
            long from = clock.secondsSinceStart();
            List<Committed> committed = new CopyOnWriteArrayList<>();
            FutureTask<Void> client = new FutureTask<>(() -> commitRows(db, config, tables, perMinute, firstId, duration,
                    committed), null);
            Thread clientThread = new Thread(client, "bench-mirrors-client");
            clientThread.setDaemon(true);
            clientThread.start();
            try {
                double cpu = cpuPerMinute(ingest, duration, log);
                List<String> phaseLog = Files.readAllLines(log).stream().skip(logLines).toList();
                client.get(); // its failure, if it failed
                return new Phase(from, clock.secondsSinceStart(), committed, cpu, phaseLog);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(e.getCause());
            } finally {
                client.cancel(true);
            }
        }

        /** Rows until {@code sinceStart} has passed since the load began, their figures left out; nothing if it has already. */
        void until(long firstId, Duration sinceStart) throws Exception {
            Duration left = clock.leftUntil(sinceStart);
            if (!left.isZero()) {
                measured(firstId, left);
            }
        }
    }

    /** The process's CPU time over {@code period}, in seconds a minute; fails, naming its log, if it died. */
    private static double cpuPerMinute(ProcessHandle process, Duration period, Path log) throws InterruptedException {
        Duration before = cpuTime(process, log);
        Thread.sleep(period.toMillis());
        Duration used = cpuTime(process, log).minus(before);
        return used.toMillis() / 1000.0 * 60 / period.toSeconds();
    }

    private static Duration cpuTime(ProcessHandle process, Path log) {
        return process.info().totalCpuDuration().filter(cpu -> process.isAlive())
                .orElseThrow(() -> new IllegalStateException("the CDC ingest died; see " + log));
    }

    /**
     * Commits one new row at a time (autocommit) into each of {@code tables} in turn, {@code perMinute} a minute,
     * for {@code duration}; each row holds its id and a plain value in every column that must have one.
     */
    private static void commitRows(Connection db, LakehouseConfig config, List<String> tables, int perMinute, long firstId,
                                   Duration duration, List<Committed> committed) {
        try {
            Map<String, PreparedStatement> inserts = new LinkedHashMap<>();
            Map<String, List<String>> types = new LinkedHashMap<>();
            for (String table : tables) {
                List<String> columns = new ArrayList<>();
                List<String> columnTypes = new ArrayList<>();
                try (PreparedStatement query = db.prepareStatement("SELECT column_name, data_type FROM"
                        + " information_schema.columns WHERE table_schema = DATABASE() AND table_name = ?"
                        + " AND is_nullable = 'NO' ORDER BY ordinal_position")) {
                    query.setString(1, table);
                    try (ResultSet rows = query.executeQuery()) {
                        while (rows.next()) {
                            columns.add(rows.getString(1));
                            columnTypes.add(rows.getString(2));
                        }
                    }
                }
                inserts.put(table, db.prepareStatement("INSERT INTO " + table + " (" + String.join(", ", columns)
                        + ") VALUES (" + String.join(", ", columns.stream().map(column -> "?").toList()) + ")"));
                types.put(table, columnTypes);
            }
            FreshnessBenchmark.atSteadyRate(duration, 60_000_000_000L / perMinute, n -> {
                String table = tables.get((int) (n % tables.size()));
                long id = firstId + n / tables.size();
                PreparedStatement insert = inserts.get(table);
                List<String> columnTypes = types.get(table);
                insert.setLong(1, id); // id is every captured table's first column
                for (int i = 1; i < columnTypes.size(); i++) {
                    insert.setObject(i + 1, plainValue(columnTypes.get(i), config));
                }
                insert.executeUpdate();
                committed.add(new Committed(table, id, System.currentTimeMillis()));
            });
        } catch (SQLException e) {
            throw new IllegalStateException("cannot commit a row in the source database: " + e.getMessage(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot commit a row in the source database: " + e.getCause().getMessage(), e);
        }
    }

    private static Object plainValue(String type, LakehouseConfig config) {
        return switch (type) {
            case "bigint", "int", "smallint", "tinyint" -> 1L;
            case "decimal" -> BigDecimal.ONE;
            case "datetime", "timestamp" -> LocalDateTime.now(config.timeZone()).truncatedTo(ChronoUnit.SECONDS);
            case "date" -> LocalDate.now(config.timeZone());
            default -> "bench";
        };
    }

    /** Watches every mirror's Delta log for new commits, a few times a second, until interrupted. */
    private static final class MirrorWatch extends Thread {
        private final Map<String, Path> logs;
        private final Map<String, List<MirrorCommit>> commits = new ConcurrentHashMap<>();
        private final Map<String, Long> lastVersion = new ConcurrentHashMap<>();
        /** What stopped the watch, if anything did. */
        private volatile RuntimeException failure;

        MirrorWatch(Map<String, Path> logs) {
            super("bench-mirrors-watch");
            setDaemon(true);
            this.logs = logs;
            logs.forEach((table, log) -> {
                commits.put(table, new CopyOnWriteArrayList<>());
                TreeMap<Long, Path> before = versions(log);
                lastVersion.put(table, before.isEmpty() ? -1L : before.lastKey());
            });
        }

        @Override
        public void run() {
            try {
                while (!isInterrupted()) {
                    logs.forEach(this::readNewCommits);
                    Thread.sleep(200);
                }
            } catch (InterruptedException e) {
                // stopped
            } catch (RuntimeException e) {
                failure = e;
            }
        }

        /** When each row reached its mirror (its commit's time), once every row has; fails after {@link #PATIENCE}. */
        List<Long> mirroredOnceApplied(List<Committed> rows) throws InterruptedException {
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (true) {
                if (failure != null) {
                    throw new IllegalStateException("cannot read the mirrors' Delta logs: " + failure.getMessage(), failure);
                }
                List<Long> times = new ArrayList<>();
                for (Committed row : rows) {
                    commits.get(row.table()).stream().filter(commit -> commit.maxId() >= row.id()).findFirst()
                            .ifPresent(commit -> times.add(commit.atMillis()));
                }
                if (times.size() == rows.size()) {
                    return times;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException((rows.size() - times.size()) + " of " + rows.size() + " rows not in"
                            + " their mirrors " + PATIENCE.toMinutes() + " minutes after the last was committed");
                }
                Thread.sleep(500);
            }
        }

        private void readNewCommits(String table, Path log) {
            for (Map.Entry<Long, Path> version : versions(log).tailMap(lastVersion.get(table), false).entrySet()) {
                try {
                    long maxId = Long.MIN_VALUE;
                    for (String line : Files.readAllLines(version.getValue())) {
                        JsonNode stats = JSON.readTree(line).path("add").path("stats");
                        if (stats.isTextual()) {
                            maxId = Math.max(maxId, JSON.readTree(stats.asText()).path("maxValues").path(MirrorTable.KEY)
                                    .asLong(Long.MIN_VALUE));
                        }
                    }
                    commits.get(table).add(new MirrorCommit(Files.getLastModifiedTime(version.getValue()).toMillis(), maxId));
                    lastVersion.put(table, version.getKey());
                } catch (IOException e) {
                    return; // a commit being written; read again on the next round
                }
            }
        }

        /** The log's commit files by version. */
        private static TreeMap<Long, Path> versions(Path log) {
            TreeMap<Long, Path> versions = new TreeMap<>();
            try (Stream<Path> files = Files.list(log)) {
                files.filter(file -> file.getFileName().toString().matches("\\d{20}\\.json"))
                        .forEach(file -> versions.put(Long.parseLong(file.getFileName().toString().substring(0, 20)), file));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + log, e);
            }
            return versions;
        }
    }

    private static void print(String mirrorTrigger, int changesPerMinute, double idleCpu, List<Phase> phases,
                              List<Loaded> loaded) {
        System.out.println("| mirror trigger | phase | CPU s a minute (ingest JVM) | capture batch p50 / max ms | mirror batch p50 / max ms |");
        System.out.println("|---|---|---|---|---|");
        System.out.printf("| %s | idle | %.1f | - | - |%n", mirrorTrigger, idleCpu);
        for (Phase phase : phases) {
            System.out.printf("| %s | %d new rows a minute, %s | %.1f | %s | %s |%n", mirrorTrigger, changesPerMinute,
                    phase.describe(), phase.cpuPerMinute(),
                    Percentiles.p50AndMax(LiveIngest.batchMillis(phase.log(), CdcIngestJob.QUERY_NAME)),
                    Percentiles.p50AndMax(LiveIngest.batchMillis(phase.log(), CdcIngestJob.MIRROR_QUERY_NAME)));
        }
        for (int p = 0; p < phases.size(); p++) {
            List<Committed> committed = phases.get(p).committed();
            System.out.println();
            System.out.println("| source table, " + phases.get(p).describe()
                    + " | rows | behind its commit in the source p50 / max ms | behind its capture p50 / max ms |");
            System.out.println("|---|---|---|---|");
            Map<String, List<Integer>> byTable = new TreeMap<>();
            for (int i = 0; i < committed.size(); i++) {
                byTable.computeIfAbsent(committed.get(i).table(), table -> new ArrayList<>()).add(i);
            }
            Loaded figures = loaded.get(p);
            byTable.forEach((table, rows) -> System.out.printf("| %s | %d | %s | %s |%n", table, rows.size(),
                    Percentiles.p50AndMax(rows.stream().map(figures.lagMillis()::get).toList()),
                    Percentiles.p50AndMax(rows.stream().map(figures.lagBehindCaptureMillis()::get).toList())));
            System.out.printf("| all | %d | %s (p95 %d) | %s (p95 %d) |%n", committed.size(),
                    Percentiles.p50AndMax(figures.lagMillis()), Percentiles.of(figures.lagMillis(), 0.95),
                    Percentiles.p50AndMax(figures.lagBehindCaptureMillis()), Percentiles.of(figures.lagBehindCaptureMillis(), 0.95));
        }
    }
}
