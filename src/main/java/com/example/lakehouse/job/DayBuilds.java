package com.example.lakehouse.job;

import static org.apache.spark.sql.functions.col;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.Snapshot;
import org.apache.spark.sql.functions;

import com.example.lakehouse.quality.DataQualityChecks;
import com.example.lakehouse.table.SqlDependencies;
import com.example.lakehouse.table.TableDef;
import com.example.lakehouse.table.Tables;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.delta.tables.DeltaTable;
import scala.Option;

/**
 * What each day of a daily derived table was built from, and which days' inputs have changed since. A build
 * records, in the user metadata of the Delta commit that writes its day, for each daily table its SELECT reads
 * (see {@link TableDef#earlierDaysRead}), the input's version and the data files of the days it read (their
 * number and a hash of their names), and a fingerprint of the table's definition ({@link #definition}). A day
 * is stale when those files are no longer the input's files of those days: late events appended to them, a
 * mirror's rows of them changed or deleted, or a restated upstream day.
 * So the record lives in the lake beside the table (on any machine, on s3a://), and finding stale days reads
 * each table's history and each input's file list, never a row.
 *
 * <p>Snapshot tables (dimensions) are not inputs here: a day takes a dimension as it stands when the day is
 * built, as the nightly job always has; a day is built again for its own data, not for a user's new address.
 * Compacting an input's old days (OPTIMIZE) changes their files, so their days are built once more, to the
 * same rows.
 */
public final class DayBuilds {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An input as a build read it: the input's version, and the number and names' hash of the files it read. */
    record InputRead(long version, long files, long fingerprint) {
        boolean sameFiles(InputRead other) {
            return other != null && files == other.files && fingerprint == other.fingerprint;
        }
    }

    /**
     * What the last build of a day recorded, and when it committed: the {@link #definition} it was built by (null
     * in the records made before it was recorded) and what it read.
     */
    record Build(LocalDate dt, Instant builtAt, String definition, Map<String, InputRead> inputs) {
    }

    /** The record of one build, as it is kept in the commit's user metadata. */
    private record Recorded(String dt, String definition, Map<String, InputRead> inputs) {
    }

    /** The files of each day of an input at one version: day → {number of files, xor of their names' hashes}. */
    private record DayFiles(long version, NavigableMap<LocalDate, long[]> days) {
        InputRead read(LocalDate first, LocalDate last) {
            long files = 0;
            long fingerprint = 0;
            for (long[] day : days.subMap(first, true, last, true).values()) {
                files += day[0];
                fingerprint ^= day[1];
            }
            return new InputRead(version, files, fingerprint);
        }
    }

    /**
     * Where a daily table stands: its latest day built and when that day was last built, the days built whose
     * inputs changed since, and the days before today that the tables it reads have but no run built.
     */
    public record TableStatus(String table, LocalDate lastDayBuilt, Instant lastBuiltAt, List<LocalDate> staleDays,
                              List<LocalDate> daysNeverBuilt) {
    }

    private final SparkSession spark;
    private final String tableRoot;
    private final Tables tables;
    private final Map<String, DayFiles> filesByInputVersion = new ConcurrentHashMap<>();

    /** The builds of {@code tables} under {@code tableRoot}. */
    public DayBuilds(SparkSession spark, String tableRoot, Tables tables) {
        this.spark = spark;
        this.tableRoot = tableRoot;
        this.tables = tables;
    }

    /** The daily tables {@code table} reads, as they are now: what a build records, and what a record is compared with. */
    final class Inputs {
        private final TableDef table;
        private final Map<String, DayFiles> files = new TreeMap<>();

        private Inputs(TableDef table) {
            this.table = table;
            dailyInputs(table).stream().filter(input -> DeltaTable.isDeltaTable(spark, input.location(tableRoot)))
                    .forEach(input -> files.put(input.name(), dayFiles(input)));
        }

        /** What day {@code dt} of the table reads of each input. */
        Map<String, InputRead> readBy(LocalDate dt) {
            LocalDate first = table.earlierDaysRead() == TableDef.ALL_EARLIER_DAYS ? LocalDate.MIN
                    : dt.minusDays(table.earlierDaysRead());
            Map<String, InputRead> reads = new TreeMap<>();
            files.forEach((input, days) -> reads.put(input, days.read(first, dt)));
            return reads;
        }

        /** True when {@code build}'s day no longer reads the files it was built from. */
        boolean changedSince(Build build) {
            Map<String, InputRead> now = readBy(build.dt());
            return !now.keySet().equals(build.inputs().keySet()) || now.entrySet().stream()
                    .anyMatch(input -> !input.getValue().sameFiles(build.inputs().get(input.getKey())));
        }
    }

    /** {@code table}'s inputs as they are now. */
    Inputs inputs(TableDef table) {
        return new Inputs(table);
    }

    /**
     * A fingerprint of what builds a day of {@code table} besides its inputs: its columns, its SELECT and its
     * checks, as this code has them. Today's builds take a recorded build of another definition (code since
     * upgraded) as no build; closed days are not compared on it, since a changed rule is applied to the days a
     * run is asked for, not to every day in the history on the first run after an upgrade.
     */
    static String definition(TableDef table) {
        String text = String.join("\n", table.columns(), table.select().orElse(""),
                DataQualityChecks.checks(table).toString(), new TreeSet<>(table.warningChecks()).toString());
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every Java has SHA-256
        }
    }

    /** The user metadata of the commit that builds day {@code dt} by {@code definition} from {@code inputs}. */
    static String record(LocalDate dt, String definition, Map<String, InputRead> inputs) {
        try {
            return JSON.writeValueAsString(new Recorded(dt.toString(), definition, inputs));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The last recorded build of each day of {@code table}, from its Delta history; none for a table not yet written.
     * The history holds the commits of Delta's log retention (delta.logRetentionDuration, 30 days by default), so a
     * day last built before that has no record: it is listed as never built rather than checked.
     */
    Map<LocalDate, Build> lastBuilds(TableDef table) {
        String location = table.location(tableRoot);
        if (!DeltaTable.isDeltaTable(spark, location)) {
            return Map.of();
        }
        Map<LocalDate, Build> builds = new TreeMap<>();
        List<Row> commits = DeltaTable.forPath(spark, location).history()
                .where(col("userMetadata").isNotNull()).orderBy(col("version")).select("timestamp", "userMetadata")
                .collectAsList();
        for (Row commit : commits) {
            parse(commit.getTimestamp(0).toInstant(), commit.getString(1)).ifPresent(build -> builds.put(build.dt(), build));
        }
        return builds;
    }

    /** The days of {@code builds} whose inputs are no longer what they were built from, oldest first. */
    List<LocalDate> staleDays(TableDef table, Map<LocalDate, Build> builds) {
        Inputs now = inputs(table);
        return builds.values().stream().filter(now::changedSince).map(Build::dt).sorted().toList();
    }

    /** Where {@code table}, a daily table a SQL job builds, stands; days from {@code since} to before {@code today}. */
    public TableStatus status(TableDef table, LocalDate since, LocalDate today) {
        Map<LocalDate, Build> builds = lastBuilds(table);
        Optional<Build> last = builds.values().stream().max(Comparator.comparing(Build::dt));
        return new TableStatus(table.name(), last.map(Build::dt).orElse(null), last.map(Build::builtAt).orElse(null),
                staleDays(table, builds), daysNeverBuilt(table, builds.keySet(), since, today));
    }

    /**
     * The days from {@code since} to before {@code today} that a daily table {@code table} reads has (its SELECT's or
     * its checks': a day the live table counted is one), but {@code built} lacks.
     */
    List<LocalDate> daysNeverBuilt(TableDef table, Set<LocalDate> built, LocalDate since, LocalDate today) {
        if (!since.isBefore(today)) {
            return List.of();
        }
        Set<LocalDate> days = new TreeSet<>();
        tables.upstream(table).stream().filter(TableDef::isDaily).filter(input -> DeltaTable.isDeltaTable(spark,
                input.location(tableRoot))).forEach(input -> days.addAll(dayFiles(input).days()
                .subMap(since, true, today, false).keySet()));
        days.removeAll(built);
        return List.copyOf(days);
    }

    /** The daily tables the SELECT of {@code table} reads (its checks' reads are not what its rows come from). */
    private List<TableDef> dailyInputs(TableDef table) {
        return SqlDependencies.tablesRead(table.select().orElseThrow()).stream().map(tables::byName)
                .filter(TableDef::isDaily).toList();
    }

    /** The files of each day of {@code table}'s latest version, read once per version from its Delta log. */
    private DayFiles dayFiles(TableDef table) {
        DeltaLog log = DeltaLog.forTable(spark, table.location(tableRoot));
        Snapshot snapshot = log.update(false, Option.empty(), Option.empty());
        return filesByInputVersion.computeIfAbsent(table.name() + "@" + snapshot.version(), key -> {
            TreeMap<LocalDate, long[]> days = new TreeMap<>();
            snapshot.allFiles().toDF().groupBy(col("partitionValues").getItem("dt").as("dt"))
                    .agg(functions.count("*"), functions.bit_xor(functions.xxhash64(col("path"))))
                    .collectAsList()
                    .forEach(day -> days.put(LocalDate.parse(day.getString(0)), new long[] {day.getLong(1), day.getLong(2)}));
            return new DayFiles(snapshot.version(), days);
        });
    }

    private static Optional<Build> parse(Instant builtAt, String userMetadata) {
        try {
            Recorded recorded = JSON.readValue(userMetadata, Recorded.class);
            return recorded == null || recorded.dt() == null || recorded.inputs() == null ? Optional.empty()
                    : Optional.of(new Build(LocalDate.parse(recorded.dt()), builtAt, recorded.definition(), recorded.inputs()));
        } catch (JsonProcessingException | DateTimeParseException notOurs) { // user metadata set by hand
            return Optional.empty();
        }
    }
}
