package com.example.lakehouse.format.applog;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.timestamp_millis;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.udf;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

import com.example.lakehouse.format.KafkaMessages;

/**
 * Pure functions from Kafka records (the columns of Spark's Kafka source: value, topic, partition,
 * offset, timestamp) to the rows of ods_app_log and ods_rejected. No I/O: the ingest job and the unit
 * tests call the same functions. A message is read as {@code logType}, the struct of ods_app_log's {@code log}
 * column ({@code Tables#appLogType}).
 */
public final class AppLogTransforms {
    /** Source name written to ods_rejected for app-log messages. */
    public static final String SOURCE = "app_log";

    private static final UserDefinedFunction PROBLEM_WITH =
            udf((UDF1<byte[], String>) AppLogValidator::problemWith, DataTypes.StringType);

    private AppLogTransforms() {
    }

    /** Adds message_id (SHA-256 of the bytes, the natural key) and problem (null for a valid message). */
    public static Dataset<Row> validate(Dataset<Row> kafkaRecords) {
        return KafkaMessages.validate(kafkaRecords, PROBLEM_WITH.apply(col("value")));
    }

    /** Valid messages as ods_app_log rows, one per distinct message (its first delivery). */
    public static Dataset<Row> acceptedAppLogs(Dataset<Row> validated, DataType logType) {
        return appLogRows(KafkaMessages.firstDeliveries(validated), logType);
    }

    /** Valid messages as ods_app_log rows, every delivery (a stream can dedup them its own way). */
    public static Dataset<Row> appLogRows(Dataset<Row> validated, DataType logType) {
        Column log = col("log");
        return validated
                .where(col("problem").isNull())
                .withColumn("log", from_json(col("value").cast("string"), logType))
                .withColumn("event_time", timestamp_millis(log.getField("ts")))
                .select(KafkaMessages.withKafkaPosition(
                        col("message_id").as("log_id"),
                        to_date(col("event_time")).as("dt"),
                        col("event_time"),
                        log.getField("common").getField("mid").as("mid"),
                        log.getField("common").getField("uid").as("uid"),
                        log,
                        col("value").cast("string").as("raw")))
                .withColumn("ingested_at", KafkaMessages.takenInAt());
    }
}
