package com.example.lakehouse.sink;

import java.util.Optional;

import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.streaming.MicroBatchExecution$;
import org.apache.spark.sql.execution.streaming.StreamExecution$;

/**
 * Which micro-batch of which streaming query is being written: Delta's {@code txnAppId} and {@code txnVersion}
 * of an exactly-once append. The query's id is the one its checkpoint keeps, so a restart from the
 * checkpoint runs a lost batch again under the same id, while a fresh checkpoint (batches counted from 0
 * again) is another writer.
 */
public record StreamBatch(String queryId, long batchId) {
    /**
     * The batch {@code spark}'s current thread is writing, if it runs a streaming query's foreachBatch: Spark
     * sets both as local properties of the query's thread.
     */
    public static Optional<StreamBatch> current(SparkSession spark) {
        SparkContext context = spark.sparkContext();
        String queryId = context.getLocalProperty(StreamExecution$.MODULE$.QUERY_ID_KEY());
        String batchId = context.getLocalProperty(MicroBatchExecution$.MODULE$.BATCH_ID_KEY());
        return queryId == null || batchId == null ? Optional.empty()
                : Optional.of(new StreamBatch(queryId, Long.parseLong(batchId)));
    }
}
