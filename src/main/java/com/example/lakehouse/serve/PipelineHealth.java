package com.example.lakehouse.serve;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

import org.apache.spark.sql.execution.streaming.ProcessingTimeTrigger;

import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.serve.RefreshingAnswers.Question;
import com.example.lakehouse.job.PipelineReports;
import com.example.lakehouse.job.StreamProgress;
import com.example.lakehouse.job.TableBuilds;
import com.example.lakehouse.table.Tables;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * What the people who run the pipeline ask the API: is it healthy ({@code /health}) and how is it doing
 * ({@code /metrics}, Prometheus' text format). Both read what the streams publish beside their checkpoints
 * ({@link StreamProgress}) and what the nightly runs keep beside the tables ({@link TableBuilds}), so they work
 * wherever those run, and ask Trino whether it answers. A nightly check that failed (an error) is unhealthy until
 * its day is built again.
 */
final class PipelineHealth implements AutoCloseable {
    /** A running stream reports at least every 10 s (its heartbeat); silence this long, or a few triggers, means its JVM is gone. */
    private static final Duration LEAST_SILENCE = Duration.ofSeconds(60);
    private static final int TRIGGERS_OF_SILENCE = 3;

    /** The answer of {@code /health}: healthy, or what is wrong, one line each, and what the streams and the builds reported. */
    record Report(boolean healthy, List<String> problems, Map<String, StreamProgress> streams, Map<String, TableBuilds> tables) {
        /** Without the tables' failed checks, whose messages quote rows of the shop's data: for a caller without the token. */
        Report withoutRows() {
            return new Report(healthy, problems, streams, Map.of());
        }
    }

    private final LakehouseConfig config;
    private final Tables tables;
    private final LiveFigures figures;
    private final RefreshingAnswers answers;
    /** The report files, apart from the Trino answers, so that reading them does not count as a query. */
    private final RefreshingAnswers reportFiles;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    PipelineHealth(LakehouseConfig config, Tables tables, LiveFigures figures, RefreshingAnswers answers) {
        this.config = config;
        this.tables = tables;
        this.figures = figures;
        this.answers = answers;
        this.reportFiles = new RefreshingAnswers(config.serve().refreshInterval());
        streamGauge("lakehouse_stream_seconds_since_report", "seconds since the query last reported (idle queries report every 10 s)",
                progress -> secondsSince(progress.reportedAtMillis()));
        streamGauge("lakehouse_stream_seconds_since_batch", "seconds since the query's last micro-batch with data committed",
                progress -> secondsSince(progress.lastBatchAtMillis()));
        streamGauge("lakehouse_stream_last_batch_id", "the number of the query's last micro-batch with data",
                StreamProgress::lastBatchId);
        streamGauge("lakehouse_stream_last_batch_input_rows", "records the query's last micro-batch with data read",
                StreamProgress::lastBatchInputRows);
        streamGauge("lakehouse_stream_last_batch_seconds", "how long the query's last micro-batch with data took",
                progress -> progress.lastBatchMillis() / 1000.0);
        GaugeWithCallback.builder().name("lakehouse_stream_offsets_behind_latest")
                .help("records in the query's Kafka topic past what it has read, over all partitions").labelNames("query")
                .callback(callback -> reports().streams().forEach((query, progress) -> progress
                        .filter(read -> read.offsetsBehindLatest() != null)
                        .ifPresent(read -> callback.call(read.offsetsBehindLatest(), query))))
                .register(registry);
        GaugeWithCallback.builder().name("lakehouse_trino_up").help("1 if Trino answered the API's last check, else 0")
                .callback(callback -> callback.call(trinoProblem().isEmpty() ? 1 : 0)).register(registry);
        tableGauge("lakehouse_table_last_day_built_age_days", "days from the table's newest day built to today (1: yesterday built)",
                builds -> builds.lastDayBuilt() == null ? null
                        : (double) ChronoUnit.DAYS.between(LocalDate.parse(builds.lastDayBuilt()), LocalDate.now(config.timeZone())));
        tableGauge("lakehouse_table_seconds_since_build", "seconds since a run last built a day of the table (or the whole snapshot table)",
                builds -> secondsSince(builds.builtAtMillis()));
        GaugeWithCallback.builder().name("lakehouse_table_failed_check_days")
                .help("days whose latest build failed a data-quality check: an error (it stopped that run) or a warning")
                .labelNames("table", "severity")
                .callback(callback -> reports().tables().forEach((table, builds) -> {
                    callback.call(builds.errors().size(), table, "error");
                    callback.call(builds.warnings().size(), table, "warning");
                }))
                .register(registry);
        CounterWithCallback.builder().name("lakehouse_rejected_messages")
                .help("distinct messages quarantined in ods_rejected so far, by source (rate() of it: rejected per minute)")
                .labelNames("source")
                .callback(callback -> rejected().forEach((source, count) -> callback.call(count, source)))
                .register(registry);
        CounterWithCallback.builder().name("lakehouse_api_trino_queries").help("Trino queries the API has run since it started")
                .callback(callback -> callback.call(answers.queriesRun())).register(registry);
    }

    /**
     * Healthy when Trino answers, no stream failed or went silent, and no day's latest nightly build failed an error
     * check: a stream that stopped cleanly (a drain, `lakehouse stop`) is not a problem; one killed outright stops
     * reporting, which shows after a few of its triggers.
     */
    Report report() {
        List<String> problems = new ArrayList<>();
        trinoProblem().ifPresent(problems::add);
        PipelineReports reports = reports();
        problems.addAll(reports.unreadable());
        Map<String, StreamProgress> reported = new LinkedHashMap<>();
        PipelineReports.queryTriggers(config).forEach((query, trigger) -> reports.streams().get(query).ifPresent(progress -> {
            reported.put(query, progress);
            if (progress.failure() != null) {
                problems.add("stream " + query + " failed: " + progress.failure());
            } else if (progress.stoppedAtMillis() == null && trigger instanceof ProcessingTimeTrigger interval) {
                Duration allowed = Duration.ofMillis(Math.max(LEAST_SILENCE.toMillis(), TRIGGERS_OF_SILENCE * interval.intervalMs()));
                double silent = secondsSince(progress.reportedAtMillis());
                if (silent > allowed.toSeconds()) {
                    problems.add(String.format("stream %s has not reported for %.0f s (allowed %d s): is its ingest running?",
                            query, silent, allowed.toSeconds()));
                }
            }
        }));
        reports.tables().forEach((table, builds) -> builds.errors().keySet().forEach(day -> problems.add("the latest build of "
                + table + " " + day + " failed a data-quality check (its day stays failed until it is built again)")));
        return new Report(problems.isEmpty(), problems, reported, reports.tables());
    }

    @Override
    public void close() {
        reportFiles.close();
    }

    /** The metrics in Prometheus' text format. */
    byte[] metrics() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.write(out, registry.scrape());
        return out.toByteArray();
    }

    String metricsContentType() {
        return writer.getContentType();
    }

    private void streamGauge(String name, String help, ToDoubleFunction<StreamProgress> value) {
        GaugeWithCallback.builder().name(name).help(help).labelNames("query")
                .callback(callback -> reports().streams().forEach((query, progress) -> progress
                        .ifPresent(read -> callback.call(value.applyAsDouble(read), query))))
                .register(registry);
    }

    private void tableGauge(String name, String help, Function<TableBuilds, Double> value) {
        GaugeWithCallback.builder().name(name).help(help).labelNames("table")
                .callback(callback -> reports().tables().forEach((table, builds) -> {
                    Double measured = value.apply(builds);
                    if (measured != null) {
                        callback.call(measured, table);
                    }
                }))
                .register(registry);
    }

    /**
     * What the streams reported beside their checkpoints and the builds beside the tables, read at most once per refresh
     * interval however often /health and /metrics are asked (each is a file, on s3a:// a request).
     */
    private PipelineReports reports() {
        try {
            return (PipelineReports) reportFiles.get(new Question("reports", List.of(), () -> PipelineReports.read(config, tables)));
        } catch (SQLException neverThrown) { // reading files asks no database
            throw new IllegalStateException(neverThrown);
        }
    }

    /** The messages ods_rejected holds by source, asked at most once per refresh interval; none while Trino does not answer. */
    @SuppressWarnings("unchecked") // the answer of this key is always rejectedBySource's
    private Map<String, Long> rejected() {
        try {
            return (Map<String, Long>) answers.get(figures.rejectedBySource());
        } catch (SQLException e) {
            return Map.of();
        }
    }

    /** Why Trino does not answer, if it does not (asked at most once per refresh interval). */
    private Optional<String> trinoProblem() {
        try {
            answers.get(figures.ping());
            return Optional.empty();
        } catch (SQLException e) {
            return Optional.of("Trino does not answer: " + figures.describe(e));
        }
    }

    private static double secondsSince(long epochMillis) {
        return (System.currentTimeMillis() - epochMillis) / 1000.0;
    }
}
