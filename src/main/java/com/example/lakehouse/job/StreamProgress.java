package com.example.lakehouse.job;

import java.io.IOException;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

import org.apache.spark.sql.streaming.SourceProgress;
import org.apache.spark.sql.streaming.StreamingQueryProgress;

import com.example.lakehouse.config.LakehouseConfig;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What a streaming query last reported, kept in a file beside its checkpoint ({@code <checkpoint-root>/<query>/
 * progress.json}), so that whoever watches the pipeline reads it where the stream runs, on one machine or on a
 * cluster ({@code s3a://}), not in the stream's JVM: when it last reported (Spark reports an idle query every
 * 10 s too), its last batch with data, and how far it is behind the end of its Kafka topic.
 *
 * @param reportedAtMillis    when the query last reported, in epoch milliseconds
 * @param lastBatchAtMillis   when its last batch with data committed
 * @param offsetsBehindLatest records in the topic past what the query has read, summed over its partitions;
 *                            null for a query that reads a Delta table
 * @param stoppedAtMillis     when the query stopped (a drain's end, `lakehouse stop`), null while it runs; a
 *                            query killed outright stops reporting without saying so
 * @param failure             why it stopped, if it failed
 */
public record StreamProgress(@JsonProperty("query") String query,
                             @JsonProperty("reported_at_ms") long reportedAtMillis,
                             @JsonProperty("last_batch_id") long lastBatchId,
                             @JsonProperty("last_batch_at_ms") long lastBatchAtMillis,
                             @JsonProperty("last_batch_input_rows") long lastBatchInputRows,
                             @JsonProperty("last_batch_millis") long lastBatchMillis,
                             @JsonProperty("offsets_behind_latest") Long offsetsBehindLatest,
                             @JsonProperty("stopped_at_ms") Long stoppedAtMillis,
                             @JsonProperty("failure") String failure) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FILE = "progress.json";

    /** The progress after Spark's report {@code progress}, given what the file held before. */
    static StreamProgress after(Optional<StreamProgress> before, StreamingQueryProgress progress, Instant now) {
        Long behind = progress.sources().length == 0 ? null : offsetsBehind(progress.sources());
        if (progress.numInputRows() > 0 || before.isEmpty()) {
            return new StreamProgress(progress.name(), now.toEpochMilli(), progress.batchId(), now.toEpochMilli(),
                    progress.numInputRows(), progress.batchDuration(), behind, null, null);
        }
        StreamProgress last = before.get();
        return new StreamProgress(progress.name(), now.toEpochMilli(), last.lastBatchId(), last.lastBatchAtMillis(),
                last.lastBatchInputRows(), last.lastBatchMillis(), behind, null, null);
    }

    /** A query that started at {@code now}: running, with the last batch of its previous run, if any. */
    static StreamProgress started(String query, Optional<StreamProgress> before, Instant now) {
        return before.map(last -> new StreamProgress(query, now.toEpochMilli(), last.lastBatchId(), last.lastBatchAtMillis(),
                        last.lastBatchInputRows(), last.lastBatchMillis(), last.offsetsBehindLatest(), null, null))
                .orElse(new StreamProgress(query, now.toEpochMilli(), -1, 0, 0, 0, null, null, null));
    }

    /** This progress, reported again at {@code now}: the query runs, with no new batch. */
    StreamProgress reported(Instant now) {
        return new StreamProgress(query, now.toEpochMilli(), lastBatchId, lastBatchAtMillis, lastBatchInputRows,
                lastBatchMillis, offsetsBehindLatest, stoppedAtMillis, failure);
    }

    /** This progress of a query that stopped at {@code now}, failing with {@code failure} if not null. */
    StreamProgress stopped(Instant now, String failure) {
        return new StreamProgress(query, now.toEpochMilli(), lastBatchId, lastBatchAtMillis, lastBatchInputRows,
                lastBatchMillis, offsetsBehindLatest, now.toEpochMilli(), failure);
    }

    /** Records past the end offsets the sources read to, from Kafka's offsets JSON ({"topic": {"0": 42}}). */
    private static Long offsetsBehind(SourceProgress[] sources) {
        long behind = 0;
        for (SourceProgress source : sources) {
            try {
                JsonNode end = JSON.readTree(source.endOffset());
                JsonNode latest = source.latestOffset() == null ? null : JSON.readTree(source.latestOffset());
                if (end == null || latest == null || !latest.isObject()) {
                    return null;
                }
                for (Iterator<Map.Entry<String, JsonNode>> topics = latest.fields(); topics.hasNext(); ) {
                    Map.Entry<String, JsonNode> topic = topics.next();
                    for (Iterator<Map.Entry<String, JsonNode>> partitions = topic.getValue().fields(); partitions.hasNext(); ) {
                        Map.Entry<String, JsonNode> partition = partitions.next();
                        JsonNode read = end.path(topic.getKey()).path(partition.getKey());
                        if (!partition.getValue().isNumber() || !read.isNumber()) {
                            return null; // not Kafka's offsets: a Delta source
                        }
                        behind += Math.max(0, partition.getValue().asLong() - read.asLong());
                    }
                }
            } catch (IOException notJson) {
                return null;
            }
        }
        return behind;
    }

    /** The progress file of query {@code query}, if it has reported. */
    public static Optional<StreamProgress> read(LakehouseConfig config, String query) {
        return ReportFiles.read(config, config.storage().checkpointRoot(), file(query), StreamProgress.class);
    }

    /** Replaces the query's progress file with this progress. */
    void write(LakehouseConfig config) {
        ReportFiles.write(config, config.storage().checkpointRoot(), file(query), this);
    }

    private static String file(String query) {
        return query + "/" + FILE;
    }
}
