package com.example.lakehouse.bench;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.format.applog.AppLogTransforms;
import com.example.lakehouse.generate.GeneratedMessage;
import com.example.lakehouse.job.AppLogIngestJob;
import com.example.lakehouse.source.KafkaSource;

/**
 * Measures the sink, not Kafka: the same generated batches go (a) through validation and a plain Delta
 * append, and (b) through the ingest job's batch function (validation and insert-only MERGE). Batch i
 * of (b) lands in a table that already holds i batches, which gives the MERGE cost as the table grows.
 * Both paths run batch by batch, interleaved, so machine noise hits them alike.
 */
public final class IngestBenchmark {
    /** Timings of one batch, in milliseconds. */
    public record BatchTiming(int batch, int messages, long appendMillis, long mergeMillis) {
    }

    private IngestBenchmark() {
    }

    public static List<BatchTiming> run(SparkSession spark, LakehouseConfig config, List<List<GeneratedMessage>> batches) {
        String appendTable = config.storage().tableRoot() + "/bench_plain_append";
        AppLogIngestJob ingest = AppLogIngestJob.intoDelta(spark, config);
        List<BatchTiming> timings = new ArrayList<>();
        long offset = 0;
        for (int i = 0; i < batches.size(); i++) {
            Dataset<Row> records = asKafkaRecords(spark, "app_log", batches.get(i), offset).cache();
            records.count();
            offset += batches.get(i).size();

            long started = System.nanoTime();
            AppLogTransforms.acceptedAppLogs(AppLogTransforms.validate(records))
                    .write().format("delta").mode("append").save(appendTable);
            long append = (System.nanoTime() - started) / 1_000_000;

            started = System.nanoTime();
            ingest.writeBatch(records);
            long merge = (System.nanoTime() - started) / 1_000_000;

            records.unpersist();
            timings.add(new BatchTiming(i, batches.get(i).size(), append, merge));
        }
        return timings;
    }

    /** The messages as the rows of Spark's Kafka source, on partition 0 of {@code topic} from {@code firstOffset}. */
    static Dataset<Row> asKafkaRecords(SparkSession spark, String topic, List<GeneratedMessage> messages, long firstOffset) {
        Timestamp now = new Timestamp(System.currentTimeMillis());
        List<Row> rows = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            GeneratedMessage message = messages.get(i);
            rows.add(RowFactory.create(message.key(), message.value(), topic, 0, firstOffset + i, now));
        }
        return spark.createDataFrame(rows, KafkaSource.RECORD_SCHEMA);
    }
}
