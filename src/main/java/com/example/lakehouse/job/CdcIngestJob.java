package com.example.lakehouse.job;

import static org.apache.spark.sql.functions.col;

import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;

import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.sink.DeltaMergeSink;
import com.example.lakehouse.source.KafkaSource;
import com.example.lakehouse.table.MirrorTable;
import com.example.lakehouse.table.Tables;
import com.example.lakehouse.transform.CdcTransforms;
import com.example.lakehouse.transform.ChangeVersion;
import com.example.lakehouse.transform.KafkaMessages;

/**
 * Streaming ingest of Maxwell's topic: every change into ods_maxwell, then each captured table's
 * changes applied to its mirror (ods_user_info, ods_order_info, ...), the role of the seed's
 * BaseDBMaxwellApp. Bad messages go to ods_rejected.
 */
public final class CdcIngestJob {
    public static final String QUERY_NAME = "ingest_cdc";

    private CdcIngestJob() {
    }

    /** Runs until stopped, or until Kafka is drained when the trigger is available-now. */
    public static void run(LakehouseConfig config, Trigger trigger) throws TimeoutException, StreamingQueryException {
        SparkSession spark = SparkSessions.create(config, QUERY_NAME);
        StreamingJobs.logProgress(spark);
        StreamingQuery query = start(spark, config, KafkaSource.stream(spark, config, config.maxwellTopic()), trigger);
        StreamingJobs.runUntilStopped(query, config.stopTimeoutSeconds());
    }

    /** Starts the query over any stream of Kafka-shaped records; tests pass their own source. */
    public static StreamingQuery start(SparkSession spark, LakehouseConfig config, Dataset<Row> kafkaRecords,
                                       Trigger trigger) throws TimeoutException {
        String database = config.sourceDatabase();
        return StreamingJobs.startForeachBatch(QUERY_NAME, config, kafkaRecords, trigger,
                batch -> writeBatch(spark, database, batch));
    }

    /**
     * One micro-batch; the validated records and the changes are cached because several writes read
     * them. Every write is idempotent, so a batch cut off half way is simply run again:
     * ods_maxwell and ods_rejected take only keys they lack, and a mirror row changes only for a newer change.
     */
    public static void writeBatch(SparkSession spark, String database, Dataset<Row> kafkaRecords) {
        Dataset<Row> validated = CdcTransforms.validate(kafkaRecords).persist();
        Dataset<Row> changes = CdcTransforms.acceptedChanges(validated).persist();
        try {
            DeltaMergeSink.insertNew(spark, Tables.ODS_MAXWELL, changes);
            DeltaMergeSink.insertNew(spark, Tables.ODS_REJECTED,
                    KafkaMessages.rejectedMessages(validated, CdcTransforms.SOURCE));
            Set<String> changedTables = changes.where(col("database_name").equalTo(database))
                    .select("table_name").distinct().collectAsList().stream()
                    .map(row -> row.getString(0)).collect(Collectors.toSet());
            for (MirrorTable mirror : Tables.MIRRORS) {
                if (changedTables.contains(mirror.sourceTable())) {
                    DeltaMergeSink.upsertNewer(spark, mirror.table(),
                            CdcTransforms.mirrorRows(changes, database, mirror), ChangeVersion.isNewer("s", "t"));
                }
            }
        } finally {
            changes.unpersist();
            validated.unpersist();
        }
    }
}
