package com.example.lakehouse.job;

import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.Trigger;

import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.format.KafkaMessages;
import com.example.lakehouse.format.applog.AppLogTransforms;
import com.example.lakehouse.sink.DeltaSink;
import com.example.lakehouse.sink.TableSink;
import com.example.lakehouse.table.TableDef;
import com.example.lakehouse.table.Tables;

/**
 * Streaming ingest of the app_log topic into ods_app_log, with bad messages quarantined in ods_rejected,
 * and today's active devices kept current in dws_dau_device_live.
 */
public final class AppLogIngestJob extends KafkaIngestJob {
    public static final String QUERY_NAME = "ingest_app_log";
    /** The tables the ingest writes. */
    public static final List<TableDef> TABLES = List.of(Tables.ODS_APP_LOG, Tables.ODS_REJECTED, Tables.DWS_DAU_DEVICE_LIVE);
    /** Partitions of the topic when the ingest (or the demo) creates it. */
    public static final int TOPIC_PARTITIONS = 2;

    /** A job reading {@code topic} and writing through {@code sink}; tests may pass their own sink. */
    public AppLogIngestJob(String topic, TableSink sink) {
        super(sink, QUERY_NAME, topic, TOPIC_PARTITIONS, TABLES);
    }

    /** The production job: the configured topic into Delta tables under the configured root. */
    public static AppLogIngestJob intoDelta(SparkSession spark, LakehouseConfig config) {
        return new AppLogIngestJob(config.kafka().appLogTopic(), new DeltaSink(spark, config.storage().tableRoot()));
    }

    /** Runs until stopped, or until Kafka is drained when the trigger is available-now. */
    public static void run(LakehouseConfig config, Trigger trigger) throws Exception {
        run(config, trigger, QUERY_NAME, AppLogIngestJob::intoDelta);
    }

    /**
     * One micro-batch, three idempotent writes (a re-run of the batch changes nothing): each device's
     * first activity of the day into dws_dau_device_live, where an earlier activity replaces a later one,
     * first, because the live figures read it; then, at the same time, the new messages into ods_app_log
     * and the rejected ones into ods_rejected. The validated and accepted records are cached because
     * several writes read them.
     */
    @Override
    public void writeBatch(Dataset<Row> kafkaRecords) {
        Dataset<Row> validated = AppLogTransforms.validate(kafkaRecords).persist();
        Dataset<Row> accepted = AppLogTransforms.acceptedAppLogs(validated).persist();
        try {
            Runnable live = () -> sink.upsertNewer(Tables.DWS_DAU_DEVICE_LIVE,
                    SqlJob.selectOverMicroBatch(Tables.DWS_DAU_DEVICE_LIVE, Map.of(Tables.ODS_APP_LOG, accepted)),
                    AppLogTransforms::isEarlierActivity);
            Runnable messages = () -> sink.insertNew(Tables.ODS_APP_LOG, accepted);
            Runnable rejected = () -> sink.insertNew(Tables.ODS_REJECTED,
                    KafkaMessages.rejectedMessages(validated, AppLogTransforms.SOURCE));
            // on two cores, three writes at once would finish together; the live one alone finishes seconds sooner
            ConcurrentWrites.run(List.of(live, messages, rejected), write -> write == live ? List.of() : List.of(live),
                    Runnable::run);
        } finally {
            accepted.unpersist();
            validated.unpersist();
        }
    }
}
