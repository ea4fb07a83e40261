package com.example.lakehouse.table;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import com.example.lakehouse.config.ConfigException;
import com.example.lakehouse.quality.DataQualityChecks;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Every table with what follows from its entry (layer, key, partitioning, pipeline, the tables its SELECT
 * reads, its checks), as JSON for tools outside the JVM: catalogs, lineage, schedulers of their own.
 * The build writes it to target/lakehouse-manifest.json; {@code lakehouse manifest} prints it.
 */
public final class TableManifest {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private TableManifest() {
    }

    /** The manifest of {@code tables}, in dependency order. */
    public static String json(Tables tables) {
        List<Map<String, Object>> entries = tables.all().stream().map(table -> entry(tables, table)).toList();
        try {
            return JSON.writeValueAsString(Map.of("tables", entries)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> entry(Tables tables, TableDef table) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("name", table.name());
        entry.put("layer", table.layer().folder());
        entry.put("entry", table.sqlResource());
        entry.put("written_by", table.writer());
        entry.put("pipeline", tables.pipelineOf(table).orElse(null));
        entry.put("daily", table.isDaily());
        entry.put("key", table.key());
        entry.put("keep_earliest", table.keepEarliest());
        entry.put("partitioned_by", table.partitionedBy());
        entry.put("reads", tables.tablesRead(table));
        entry.put("checks", table.isBuiltBySql() ? List.copyOf(DataQualityChecks.checks(table).keySet()) : List.of());
        entry.put("warning_checks", new TreeSet<>(table.warningChecks()));
        entry.put("reads_earlier_days", table.earlierDaysRead() == TableDef.ALL_EARLIER_DAYS ? "all" : table.earlierDaysRead());
        return entry;
    }

    /**
     * Writes the manifest of the entries under sql/ to the file {@code args[0]} (the build's step). A bad entry
     * fails the build with the one line naming it and the problem, as the CLI reports it.
     */
    public static void main(String[] args) throws IOException {
        Tables tables;
        try {
            tables = Tables.load();
        } catch (ConfigException badEntry) {
            System.err.println("lakehouse: " + badEntry.getMessage());
            System.exit(1);
            return;
        }
        Path file = Path.of(args[0]);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, json(tables), StandardCharsets.UTF_8);
    }
}
