package com.example.lakehouse.table;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.spark.sql.types.DataType;

import com.example.lakehouse.config.ConfigException;

/**
 * Every table, read from its entry under {@code sql/} (see {@link TableEntry}): nothing about a table is
 * declared here. The tables a SQL job reads come from its SELECT and checks; from them follow the build order and
 * each derived table's pipeline (that of the stream tables it reads). The constants are handles for the
 * code that writes or reads a particular table.
 */
public final class Tables {
    /** Spark database and Trino schema the tables are registered in. */
    public static final String DATABASE = "dau";
    /**
     * The folders of sql/ that hold no table entries: source/ the source database's DDL (the local MariaDB's),
     * cte/ the SELECTs entries share, which {@link TableEntry} reads for the entries that name them.
     */
    private static final Set<String> NOT_ENTRIES = Set.of("source", TableEntry.CTE_FOLDER);

    private static final Map<String, TableDef> BY_NAME;
    private static final Map<String, Set<String>> READS;
    private static final Map<String, String> PIPELINES;

    /** Every table, each after the tables it reads, so building them in this order is safe. */
    public static final List<TableDef> ALL;

    static {
        Map<String, TableDef> entries = new LinkedHashMap<>();
        for (TableDef table : readEntries()) {
            entries.put(table.name(), table);
        }
        entries.replaceAll((name, table) -> table.rowsOf().map(source -> resolveRowsOf(table, entries.get(source)))
                .orElse(table));
        READS = entries.values().stream().collect(Collectors.toMap(TableDef::name, table -> tablesRead(table, entries.keySet())));
        ALL = dependencyOrder(entries, READS);
        BY_NAME = entries;
        PIPELINES = pipelines(ALL, READS);
    }

    public static final TableDef ODS_APP_LOG = byName("ods_app_log");
    public static final TableDef ODS_MAXWELL = byName("ods_maxwell");
    public static final TableDef ODS_REJECTED = byName("ods_rejected");
    public static final TableDef DWS_DAU_DEVICE_LIVE = byName("dws_dau_device_live");
    public static final TableDef DWS_ORDER_HOUR_LIVE = byName("dws_order_hour_live");
    public static final TableDef ADS_DAU_DAILY = byName("ads_dau_daily");
    public static final TableDef ADS_DAU_HOURLY = byName("ads_dau_hourly");
    public static final TableDef ADS_ORDER_DAILY = byName("ads_order_daily");

    /** The pipeline of the app-log stream and the tables built from it. */
    public static final String DAU = "dau";
    /** The pipeline of the CDC stream and the tables built from it. */
    public static final String ORDERS = "orders";

    /** The captured source tables, each with its mirror. */
    public static final List<MirrorTable> MIRRORS = ALL.stream().filter(table -> table.mirrorOf().isPresent())
            .map(MirrorTable::of).toList();

    private Tables() {
    }

    /** The tables a SQL job builds, in dependency order. */
    public static List<TableDef> builtBySql() {
        return ALL.stream().filter(TableDef::isBuiltBySql).toList();
    }

    /** The tables a SQL job builds in {@code pipeline}, in dependency order. */
    public static List<TableDef> builtBySql(String pipeline) {
        return builtBySql().stream().filter(table -> pipeline.equals(PIPELINES.get(table.name()))).toList();
    }

    /** The pipeline a table belongs to, if any (the quarantine serves both). */
    public static Optional<String> pipelineOf(TableDef table) {
        return Optional.ofNullable(PIPELINES.get(table.name()));
    }

    /**
     * The names of the tables building {@code table} reads: its SELECT and its checks, or for a table a
     * stream writes, the SELECT the stream applies to each micro-batch (none without one).
     */
    public static Set<String> tablesRead(TableDef table) {
        return READS.get(table.name());
    }

    /** The tables of {@link #tablesRead}. */
    public static List<TableDef> upstream(TableDef table) {
        return tablesRead(table).stream().map(BY_NAME::get).toList();
    }

    public static TableDef byName(String name) {
        TableDef table = BY_NAME.get(name);
        if (table == null) {
            throw new ConfigException("unknown table '" + name + "'; known: "
                    + ALL.stream().map(TableDef::name).collect(Collectors.joining(", ")));
        }
        return table;
    }

    /** The mirror of a source table, if it is captured. */
    public static Optional<MirrorTable> mirrorOf(String sourceTable) {
        return MIRRORS.stream().filter(mirror -> mirror.sourceTable().equals(sourceTable)).findFirst();
    }

    /**
     * An entry's SQL (its SELECT or a check) for {@code dt}, as Spark runs it: a table it reads that keeps the
     * earliest row per key stands for its current rows (a CTE of the table's name over the table itself), so
     * the entry reads one row per key as written. Only the tables this SQL reads: Spark resolves even an
     * unused CTE, so one over a table the SQL does not read would fail where that table does not exist yet.
     */
    public static String render(String template, LocalDate dt) {
        List<String> currentRows = SqlDependencies.tablesRead(template).stream().map(BY_NAME::get)
                .filter(table -> table != null && table.keepsEarliest())
                .map(table -> table.name() + " AS (" + table.currentRows(table.qualifiedName()) + ")").toList();
        return TableEntry.withCtes(currentRows, TableEntry.render(template, dt));
    }

    /** The app-log message's struct (ods_app_log.log) as a Spark type, for from_json. */
    public static DataType appLogType() {
        return ODS_APP_LOG.schema().apply("log").dataType();
    }

    /** What building {@code table} reads: the tables its SELECT and its checks read, but itself. */
    private static Set<String> tablesRead(TableDef table, Set<String> known) {
        Set<String> read = new TreeSet<>();
        table.select().ifPresent(select -> read.addAll(SqlDependencies.tablesRead(select)));
        table.checks().values().forEach(check -> read.addAll(SqlDependencies.tablesRead(check)));
        read.remove(table.name());
        read.stream().filter(name -> !known.contains(name)).findFirst().ifPresent(name -> {
            throw new IllegalStateException(table.sqlResource() + " reads '" + name + "', which has no entry under sql/");
        });
        return read;
    }

    /** Kahn's algorithm; among tables ready at the same time, by layer then name, so the order is stable. */
    private static List<TableDef> dependencyOrder(Map<String, TableDef> tables, Map<String, Set<String>> reads) {
        List<TableDef> ordered = new ArrayList<>();
        Set<String> done = new TreeSet<>();
        Comparator<TableDef> stable = Comparator.comparing(TableDef::layer).thenComparing(TableDef::name);
        while (ordered.size() < tables.size()) {
            List<TableDef> ready = tables.values().stream()
                    .filter(table -> !done.contains(table.name()) && done.containsAll(reads.get(table.name())))
                    .sorted(stable).toList();
            if (ready.isEmpty()) {
                throw new IllegalStateException("the tables' SELECTs read each other in a cycle: " + tables.keySet().stream()
                        .filter(name -> !done.contains(name)).collect(Collectors.joining(", ")));
            }
            ordered.addAll(ready);
            ready.forEach(table -> done.add(table.name()));
        }
        return List.copyOf(ordered);
    }

    private static Map<String, String> pipelines(List<TableDef> ordered, Map<String, Set<String>> reads) {
        Map<String, String> pipelines = new LinkedHashMap<>();
        for (TableDef table : ordered) {
            if (!table.isBuiltBySql()) {
                table.pipeline().ifPresent(pipeline -> pipelines.put(table.name(), pipeline));
                continue;
            }
            Set<String> upstream = reads.get(table.name()).stream().map(pipelines::get)
                    .filter(pipeline -> pipeline != null).collect(Collectors.toCollection(TreeSet::new));
            if (upstream.size() != 1) {
                throw new IllegalStateException(table.sqlResource() + " must read the tables of exactly one pipeline, "
                        + "but reads " + (upstream.isEmpty() ? "none" : upstream));
            }
            pipelines.put(table.name(), upstream.iterator().next());
        }
        return pipelines;
    }

    /** {@code table}, whose entry names {@code source} as rows_of, with the SELECT of source's rows of a day. */
    private static TableDef resolveRowsOf(TableDef table, TableDef source) {
        String problem = source == null ? "names no table"
                : source.select().isEmpty() ? "names " + source.name() + ", which has no SELECT"
                : !source.schema().equals(table.schema()) ? "names " + source.name() + ", whose columns differ from these"
                : !table.isDaily() || !source.partitionedBy().contains("dt") ? "needs both tables partitioned by dt"
                : null;
        if (problem != null) {
            throw new IllegalStateException(table.sqlResource() + ": rows_of " + problem);
        }
        return table.withRowsOf(source);
    }

    /** Every entry under sql/, from the project folder or from the jar this class came from. */
    private static List<TableDef> readEntries() {
        URL folder = Tables.class.getClassLoader().getResource(TableEntry.FOLDER);
        if (folder == null) {
            throw new IllegalStateException("no " + TableEntry.FOLDER + "/ folder on the classpath");
        }
        try {
            URI uri = folder.toURI();
            if (!uri.getScheme().equals("jar")) {
                return readEntries(Path.of(uri));
            }
            try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                return readEntries(jar.getPath("/" + TableEntry.FOLDER));
            } catch (FileSystemAlreadyExistsException opened) {
                return readEntries(FileSystems.getFileSystem(uri).getPath("/" + TableEntry.FOLDER));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the table entries in " + folder, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<TableDef> readEntries(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            List<Path> entries = files.filter(Files::isRegularFile)
                    .filter(file -> !NOT_ENTRIES.contains(folder.relativize(file).getName(0).toString()))
                    .sorted().toList();
            List<TableDef> tables = new ArrayList<>();
            for (Path file : entries) {
                String path = TableEntry.FOLDER + "/" + folder.relativize(file).toString().replace('\\', '/');
                tables.add(TableEntry.parse(path, Files.readString(file, StandardCharsets.UTF_8)));
            }
            return tables;
        }
    }
}
