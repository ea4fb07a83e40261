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
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.spark.sql.types.DataType;

import com.example.lakehouse.config.ConfigException;

/**
 * The catalog of the tables of a set of entries (see {@link TableEntry}): nothing about a table is declared here.
 * The tables a SQL job reads come from its SELECT and checks; from them follow the build order and each derived
 * table's pipeline (that of the stream tables it reads). {@link #load()} reads the entries under {@code sql/} once, at a
 * process's start, and the result is passed to what needs it; a test may build one of its own entries with
 * {@link #of}. A mistake in an entry fails the load with one {@link ConfigException} naming the entry's file.
 * The accessors named after a table ({@link #odsAppLog()}, ...) are for the code that writes or reads it.
 */
public final class Tables {
    /** Spark database and Trino schema the tables are registered in. */
    public static final String DATABASE = "dau";
    /** The pipeline of the app-log stream and the tables built from it. */
    public static final String DAU = "dau";
    /** The pipeline of the CDC stream and the tables built from it. */
    public static final String ORDERS = "orders";
    /** The folder of sql/ with the source database's DDL (the local MariaDB's): no table entries. */
    private static final String SOURCE_FOLDER = "source";

    private final Map<String, TableDef> byName;
    private final Map<String, Set<String>> reads;
    private final Map<String, String> pipelines;
    private final List<TableDef> all;
    private final List<MirrorTable> mirrors;

    private Tables(List<TableDef> entries) {
        Map<String, TableDef> tables = new LinkedHashMap<>();
        for (TableDef table : entries) {
            tables.put(table.name(), table);
        }
        tables.replaceAll((name, table) -> table.rowsOf().map(source -> resolveRowsOf(table, tables.get(source)))
                .orElse(table));
        reads = tables.values().stream().collect(Collectors.toMap(TableDef::name, table -> tablesRead(table, tables.keySet())));
        all = dependencyOrder(tables, reads);
        byName = tables;
        pipelines = pipelines(all, reads);
        mirrors = all.stream().filter(table -> table.mirrorOf().isPresent()).map(MirrorTable::of).toList();
        Map<String, TableDef> mirrorBySource = new TreeMap<>();
        for (MirrorTable mirror : mirrors) {
            TableDef other = mirrorBySource.putIfAbsent(mirror.sourceTable(), mirror.table());
            if (other != null) {
                throw invalid(mirror.table(), "mirror_of " + mirror.sourceTable() + ", as " + other.sqlResource()
                        + " is already");
            }
        }
    }

    /** The tables of the entries under {@code sql/}, from the project folder or from the jar this class came from. */
    public static Tables load() {
        return of(readFolder());
    }

    /**
     * The tables of {@code files}, each text by its path ({@code sql/<layer>/<table>.sql} for an entry,
     * {@code sql/cte/<name>.sql} for a SELECT entries share; the other files of sql/cte/ and sql/source/ are skipped).
     */
    public static Tables of(Map<String, String> files) {
        Map<String, String> ctes = new TreeMap<>();
        Map<String, String> entries = new TreeMap<>();
        files.forEach((path, text) -> {
            String[] parts = path.split("/");
            String folder = parts.length > 2 && parts[0].equals(TableEntry.FOLDER) ? parts[1] : "";
            if (folder.equals(TableEntry.CTE_FOLDER)) {
                if (parts.length == 3 && parts[2].endsWith(".sql")) {
                    ctes.put(parts[2].substring(0, parts[2].length() - ".sql".length()), text);
                }
            } else if (!folder.equals(SOURCE_FOLDER)) {
                entries.put(path, text);
            }
        });
        List<TableDef> tables = new ArrayList<>();
        entries.forEach((path, text) -> tables.add(parse(path, text, ctes)));
        return new Tables(tables);
    }

    /** The entry's table; a mistake Spark finds (a column type it cannot read) is named with the file too. */
    private static TableDef parse(String path, String text, Map<String, String> ctes) {
        try {
            return TableEntry.parse(path, text, ctes);
        } catch (ConfigException e) {
            throw e;
        } catch (Exception e) { // Spark's ParseException is checked in Java but not declared
            throw invalid(path, e);
        }
    }

    /** Every table, each after the tables it reads, so building them in this order is safe. */
    public List<TableDef> all() {
        return all;
    }

    /** The tables a SQL job builds, in dependency order. */
    public List<TableDef> builtBySql() {
        return all.stream().filter(TableDef::isBuiltBySql).toList();
    }

    /** The tables a SQL job builds in {@code pipeline}, in dependency order. */
    public List<TableDef> builtBySql(String pipeline) {
        return builtBySql().stream().filter(table -> pipeline.equals(pipelines.get(table.name()))).toList();
    }

    /** The pipeline a table belongs to, if any (the quarantine serves both). */
    public Optional<String> pipelineOf(TableDef table) {
        return Optional.ofNullable(pipelines.get(table.name()));
    }

    /**
     * The names of the tables building {@code table} reads: its SELECT and its checks, or for a table a
     * stream writes, the SELECT the stream applies to each micro-batch (none without one).
     */
    public Set<String> tablesRead(TableDef table) {
        return reads.get(table.name());
    }

    /** The tables of {@link #tablesRead}. */
    public List<TableDef> upstream(TableDef table) {
        return tablesRead(table).stream().map(byName::get).toList();
    }

    public TableDef byName(String name) {
        TableDef table = byName.get(name);
        if (table == null) {
            throw new ConfigException("unknown table '" + name + "'; known: "
                    + all.stream().map(TableDef::name).collect(Collectors.joining(", ")));
        }
        return table;
    }

    /** The captured source tables, each with its mirror. */
    public List<MirrorTable> mirrors() {
        return mirrors;
    }

    /** The mirror of a source table, if it is captured. */
    public Optional<MirrorTable> mirrorOf(String sourceTable) {
        return mirrors.stream().filter(mirror -> mirror.sourceTable().equals(sourceTable)).findFirst();
    }

    /** The app-log messages as they arrived, one row per distinct message. */
    public TableDef odsAppLog() {
        return byName("ods_app_log");
    }

    /** Every captured change, one row per change. */
    public TableDef odsMaxwell() {
        return byName("ods_maxwell");
    }

    /** The messages of either stream that were rejected, with why. */
    public TableDef odsRejected() {
        return byName("ods_rejected");
    }

    /** Today's active devices, kept current by the app-log ingest. */
    public TableDef dwsDauDeviceLive() {
        return byName("dws_dau_device_live");
    }

    /** Orders and GMV by hour, kept current by the CDC ingest. */
    public TableDef dwsOrderHourLive() {
        return byName("dws_order_hour_live");
    }

    public TableDef adsDauDaily() {
        return byName("ads_dau_daily");
    }

    public TableDef adsDauHourly() {
        return byName("ads_dau_hourly");
    }

    public TableDef adsOrderDaily() {
        return byName("ads_order_daily");
    }

    /**
     * An entry's SQL (its SELECT or a check) for {@code dt}, as Spark runs it: a table it reads that keeps the
     * earliest row per key stands for its current rows (a CTE of the table's name over the table itself), so
     * the entry reads one row per key as written. Only the tables this SQL reads: Spark resolves even an
     * unused CTE, so one over a table the SQL does not read would fail where that table does not exist yet.
     */
    public String render(String template, LocalDate dt) {
        List<String> currentRows = SqlDependencies.tablesRead(template).stream().map(byName::get)
                .filter(table -> table != null && table.keepsEarliest())
                .map(table -> table.name() + " AS (" + table.currentRows(table.qualifiedName()) + ")").toList();
        return TableEntry.withCtes(currentRows, TableEntry.render(template, dt));
    }

    /** The app-log message's struct (ods_app_log.log) as a Spark type, for from_json. */
    public DataType appLogType() {
        return odsAppLog().schema().apply("log").dataType();
    }

    /** What building {@code table} reads: the tables its SELECT and its checks read, but itself. */
    private static Set<String> tablesRead(TableDef table, Set<String> known) {
        Set<String> read = new TreeSet<>();
        try {
            table.select().ifPresent(select -> read.addAll(SqlDependencies.tablesRead(select)));
            table.checks().values().forEach(check -> read.addAll(SqlDependencies.tablesRead(check)));
        } catch (Exception e) { // Spark's ParseException names the SQL, not the file, and is not declared
            throw invalid(table.sqlResource(), e);
        }
        read.remove(table.name());
        read.stream().filter(name -> !known.contains(name)).findFirst().ifPresent(name -> {
            throw invalid(table, "reads '" + name + "', which has no entry under sql/");
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
                throw new ConfigException("the SELECTs of " + tables.values().stream().filter(table -> !done.contains(table.name()))
                        .map(TableDef::sqlResource).collect(Collectors.joining(", ")) + " read each other in a cycle");
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
                throw invalid(table, "must read the tables of exactly one pipeline, "
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
            throw invalid(table, "rows_of " + problem);
        }
        return table.withRowsOf(source);
    }

    private static ConfigException invalid(TableDef table, String problem) {
        return new ConfigException(table.sqlResource() + ": " + problem);
    }

    /** {@code error}, found in the entry at {@code path}, as one line naming it (Spark's add the SQL on more lines). */
    private static ConfigException invalid(String path, Exception error) {
        String message = error.getMessage() == null ? error.toString() : error.getMessage().strip();
        return new ConfigException(path + ": " + message.lines().findFirst().orElse(error.toString()), error);
    }

    /** Every file under sql/ by its path, from the project folder or from the jar this class came from. */
    private static Map<String, String> readFolder() {
        URL folder = Tables.class.getClassLoader().getResource(TableEntry.FOLDER);
        if (folder == null) {
            throw new IllegalStateException("no " + TableEntry.FOLDER + "/ folder on the classpath");
        }
        try {
            URI uri = folder.toURI();
            if (!uri.getScheme().equals("jar")) {
                return readFolder(Path.of(uri));
            }
            try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                return readFolder(jar.getPath("/" + TableEntry.FOLDER));
            } catch (FileSystemAlreadyExistsException opened) {
                return readFolder(FileSystems.getFileSystem(uri).getPath("/" + TableEntry.FOLDER));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the table entries in " + folder, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> readFolder(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            Map<String, String> texts = new TreeMap<>();
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String path = TableEntry.FOLDER + "/" + folder.relativize(file).toString().replace('\\', '/');
                texts.put(path, Files.readString(file, StandardCharsets.UTF_8));
            }
            return texts;
        }
    }
}
