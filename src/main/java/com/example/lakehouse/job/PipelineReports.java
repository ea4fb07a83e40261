package com.example.lakehouse.job;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.spark.sql.streaming.Trigger;

import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.table.TableDef;
import com.example.lakehouse.table.Tables;

/**
 * What the streams last reported beside their checkpoints ({@link StreamProgress}) and the builds beside the tables
 * ({@link TableBuilds}), read in one go for whoever watches the pipeline: the API's {@code /health} and
 * {@code /metrics}, and {@code lakehouse status --json}.
 *
 * @param streams    each ingest query's progress, by query name; empty if it has not reported
 * @param tables     each SQL-built table's builds, by name, for the tables a run has built
 * @param unreadable one line per report file that exists but could not be read
 */
public record PipelineReports(Map<String, Optional<StreamProgress>> streams, Map<String, TableBuilds> tables,
                              List<String> unreadable) {
    /** The reports of the streams and of the builds of {@code tables}. */
    public static PipelineReports read(LakehouseConfig config, Tables tables) {
        List<String> unreadable = new ArrayList<>();
        Map<String, Optional<StreamProgress>> streams = new LinkedHashMap<>();
        for (String query : queryTriggers(config).keySet()) {
            try {
                streams.put(query, StreamProgress.read(config, query));
            } catch (UncheckedIOException e) {
                unreadable.add("stream " + query + ": " + e.getMessage());
                streams.put(query, Optional.empty());
            }
        }
        Map<String, TableBuilds> builds = new LinkedHashMap<>();
        for (TableDef table : tables.builtBySql()) {
            try {
                TableBuilds.read(config, table).ifPresent(read -> builds.put(table.name(), read));
            } catch (UncheckedIOException e) {
                unreadable.add("table " + table.name() + ": " + e.getMessage());
            }
        }
        return new PipelineReports(streams, builds, unreadable);
    }

    /**
     * The ingests' queries, each with the trigger it runs on until stopped: the streams whose progress is read here,
     * and how long {@code /health} lets each be silent.
     */
    public static Map<String, Trigger> queryTriggers(LakehouseConfig config) {
        Map<String, Trigger> triggers = new LinkedHashMap<>();
        triggers.put(AppLogIngestJob.QUERY_NAME, config.ingest().trigger());
        triggers.put(AppLogIngestJob.LIVE_QUERY_NAME, config.ingest().liveTrigger());
        triggers.put(CdcIngestJob.QUERY_NAME, config.ingest().liveTrigger());
        triggers.put(CdcIngestJob.MIRROR_QUERY_NAME, config.ingest().mirrorTrigger());
        triggers.put(CdcIngestJob.TODAY_QUERY_NAME, config.ingest().todayTrigger());
        return triggers;
    }
}
