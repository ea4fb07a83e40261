package com.example.lakehouse.serve;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

import org.apache.spark.sql.execution.streaming.ProcessingTimeTrigger;
import org.apache.spark.sql.streaming.Trigger;

import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.job.AppLogIngestJob;
import com.example.lakehouse.job.CdcIngestJob;
import com.example.lakehouse.job.StreamProgress;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * What the people who run the pipeline ask the API: is it healthy ({@code /health}) and how is it doing
 * ({@code /metrics}, Prometheus' text format). Both read what the streams publish beside their checkpoints
 * ({@link StreamProgress}), so they work wherever the streams run, and ask Trino whether it answers.
 */
final class PipelineHealth {
    /** A running stream reports at least every 10 s (its heartbeat); silence this long, or a few triggers, means its JVM is gone. */
    private static final Duration LEAST_SILENCE = Duration.ofSeconds(60);
    private static final int TRIGGERS_OF_SILENCE = 3;

    /** The answer of {@code /health}: healthy, or what is wrong, one line each. */
    record Report(boolean healthy, List<String> problems, Map<String, StreamProgress> streams) {
    }

    private final LakehouseConfig config;
    private final LiveFigures figures;
    private final RefreshingAnswers answers;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    PipelineHealth(LakehouseConfig config, LiveFigures figures, RefreshingAnswers answers) {
        this.config = config;
        this.figures = figures;
        this.answers = answers;
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
                .callback(callback -> streams().forEach((query, progress) -> progress
                        .filter(read -> read.offsetsBehindLatest() != null)
                        .ifPresent(read -> callback.call(read.offsetsBehindLatest(), query))))
                .register(registry);
        GaugeWithCallback.builder().name("lakehouse_trino_up").help("1 if Trino answered the API's last check, else 0")
                .callback(callback -> callback.call(trinoProblem().isEmpty() ? 1 : 0)).register(registry);
        CounterWithCallback.builder().name("lakehouse_api_trino_queries").help("Trino queries the API has run since it started")
                .callback(callback -> callback.call(answers.queriesRun())).register(registry);
    }

    /**
     * Healthy when Trino answers and no stream failed or went silent: a stream that stopped cleanly (a drain, `lakehouse
     * stop`) is not a problem; one killed outright stops reporting, which shows after a few of its triggers.
     */
    Report report() {
        List<String> problems = new ArrayList<>();
        trinoProblem().ifPresent(problems::add);
        Map<String, StreamProgress> reported = new LinkedHashMap<>();
        streamTriggers().forEach((query, trigger) -> readProgress(query, problems).ifPresent(progress -> {
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
        return new Report(problems.isEmpty(), problems, reported);
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
                .callback(callback -> streams().forEach((query, progress) -> progress
                        .ifPresent(read -> callback.call(value.applyAsDouble(read), query))))
                .register(registry);
    }

    /** Each stream's progress, if it has reported (and can be read). */
    private Map<String, Optional<StreamProgress>> streams() {
        Map<String, Optional<StreamProgress>> streams = new LinkedHashMap<>();
        streamTriggers().keySet().forEach(query -> streams.put(query, readProgress(query, new ArrayList<>())));
        return streams;
    }

    /** A stream's progress, if it has reported; a file that cannot be read is a problem, added to {@code problems}. */
    private Optional<StreamProgress> readProgress(String query, List<String> problems) {
        try {
            return StreamProgress.read(config, query);
        } catch (UncheckedIOException e) {
            problems.add("stream " + query + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    /** The ingests' queries, each with the trigger it runs on. */
    private Map<String, Trigger> streamTriggers() {
        Map<String, Trigger> triggers = new LinkedHashMap<>();
        triggers.put(AppLogIngestJob.QUERY_NAME, config.ingest().trigger());
        triggers.put(AppLogIngestJob.LIVE_QUERY_NAME, config.ingest().liveTrigger());
        triggers.put(CdcIngestJob.QUERY_NAME, config.ingest().liveTrigger());
        triggers.put(CdcIngestJob.LIVE_MIRROR_QUERY_NAME, config.ingest().liveTrigger());
        triggers.put(CdcIngestJob.MIRROR_QUERY_NAME, config.ingest().mirrorTrigger());
        return triggers;
    }

    /** Why Trino does not answer, if it does not (asked at most once per refresh interval). */
    private Optional<String> trinoProblem() {
        try {
            answers.get("trino answers", () -> {
                figures.ping();
                return true;
            });
            return Optional.empty();
        } catch (SQLException e) {
            return Optional.of("Trino does not answer: " + figures.describe(e));
        }
    }

    private static double secondsSince(long epochMillis) {
        return (System.currentTimeMillis() - epochMillis) / 1000.0;
    }
}
