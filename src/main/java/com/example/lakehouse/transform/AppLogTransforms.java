package com.example.lakehouse.transform;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.timestamp_millis;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.udf;

import java.util.List;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;

import com.example.lakehouse.parse.AppLogValidator;
import com.example.lakehouse.table.Tables;

/**
 * Pure functions from Kafka records (the columns of Spark's Kafka source: value, topic, partition,
 * offset, timestamp) to the rows of ods_app_log and ods_rejected. No I/O: the ingest job and the unit
 * tests call the same functions.
 */
public final class AppLogTransforms {
    /** Source name written to ods_rejected for app-log messages. */
    public static final String SOURCE = "app_log";

    private static final UserDefinedFunction PROBLEM_WITH =
            udf((UDF1<byte[], String>) AppLogValidator::problemWith, DataTypes.StringType);

    private AppLogTransforms() {
    }

    /**
     * Adds {@code message_id}, the SHA-256 of the exact message bytes (a producer retry resends the same
     * bytes, so it is the natural key), and {@code problem}, null for a valid message.
     */
    public static Dataset<Row> validate(Dataset<Row> kafkaRecords) {
        return kafkaRecords
                .withColumn("message_id", sha2(col("value"), 256))
                .withColumn("problem", PROBLEM_WITH.apply(col("value")));
    }

    /** Valid messages as ods_app_log rows, one per distinct message (its first delivery). */
    public static Dataset<Row> acceptedAppLogs(Dataset<Row> validated) {
        Column log = col("log");
        Dataset<Row> accepted = validated
                .where(col("problem").isNull())
                .withColumn("log", from_json(col("value").cast("string"), Tables.appLogType()))
                .withColumn("event_time", timestamp_millis(log.getField("ts")))
                .select(
                        col("message_id").as("log_id"),
                        to_date(col("event_time")).as("dt"),
                        col("event_time"),
                        log.getField("common").getField("mid").as("mid"),
                        log.getField("common").getField("uid").as("uid"),
                        log,
                        col("value").cast("string").as("raw"),
                        col("topic").as("kafka_topic"),
                        col("partition").as("kafka_partition"),
                        col("offset").as("kafka_offset"),
                        col("timestamp").as("kafka_timestamp"),
                        current_timestamp().as("ingested_at"));
        return firstDelivery(accepted, "log_id");
    }

    /** Invalid messages as ods_rejected rows, with the reason, one per distinct message. */
    public static Dataset<Row> rejectedMessages(Dataset<Row> validated, String source) {
        Dataset<Row> rejected = validated
                .where(col("problem").isNotNull())
                .select(
                        lit(source).as("source"),
                        col("message_id"),
                        col("problem").as("reason"),
                        col("value").cast("string").as("raw"),
                        col("topic").as("kafka_topic"),
                        col("partition").as("kafka_partition"),
                        col("offset").as("kafka_offset"),
                        col("timestamp").as("kafka_timestamp"),
                        current_timestamp().as("rejected_at"));
        return firstDelivery(rejected, "message_id");
    }

    /**
     * Keeps one row per key: the earliest Kafka position, so that which copy of a duplicate is kept does
     * not depend on how Spark split the batch. (A MERGE also needs unique source keys.)
     */
    static Dataset<Row> firstDelivery(Dataset<Row> rows, String key) {
        List<Column> order = List.of(col("kafka_topic"), col("kafka_partition"), col("kafka_offset"));
        return rows
                .withColumn("delivery_rank", row_number().over(
                        Window.partitionBy(key).orderBy(order.toArray(Column[]::new))))
                .where(col("delivery_rank").equalTo(1))
                .drop("delivery_rank");
    }
}
