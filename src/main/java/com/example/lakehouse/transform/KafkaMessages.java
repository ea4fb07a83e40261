package com.example.lakehouse.transform;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sha2;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.expressions.Window;

/**
 * What every ingest does with Kafka records (the columns of Spark's Kafka source: value, topic,
 * partition, offset, timestamp) before it knows their format: check them, quarantine the bad ones,
 * and keep one delivery of each message.
 */
public final class KafkaMessages {
    private KafkaMessages() {
    }

    /**
     * Adds {@code message_id}, the SHA-256 of the exact message bytes, and {@code problem}: what
     * {@code validator} (bytes -> reason or null) says is wrong with the message, null for a valid one.
     */
    public static Dataset<Row> validate(Dataset<Row> kafkaRecords, UserDefinedFunction validator) {
        return kafkaRecords
                .withColumn("message_id", sha2(col("value"), 256))
                .withColumn("problem", validator.apply(col("value")));
    }

    /** Invalid messages as ods_rejected rows, with the reason, one per distinct message. */
    public static Dataset<Row> rejectedMessages(Dataset<Row> validated, String source) {
        Dataset<Row> rejected = validated
                .where(col("problem").isNotNull())
                .select(withKafkaPosition(
                        lit(source).as("source"),
                        col("message_id"),
                        col("problem").as("reason"),
                        col("value").cast("string").as("raw")))
                .withColumn("rejected_at", current_timestamp());
        return firstDelivery(rejected, "message_id");
    }

    /** {@code columns} followed by the Kafka position columns every ods table keeps. */
    public static Column[] withKafkaPosition(Column... columns) {
        return Stream.concat(Arrays.stream(columns), Stream.of(col("topic").as("kafka_topic"),
                col("partition").as("kafka_partition"), col("offset").as("kafka_offset"),
                col("timestamp").as("kafka_timestamp"))).toArray(Column[]::new);
    }

    /**
     * Keeps one row per key: the earliest Kafka position, so that which copy of a duplicate is kept does
     * not depend on how Spark split the batch. (A MERGE also needs unique source keys.)
     */
    public static Dataset<Row> firstDelivery(Dataset<Row> rows, String key) {
        List<Column> order = List.of(col("kafka_topic"), col("kafka_partition"), col("kafka_offset"));
        return rows
                .withColumn("delivery_rank", row_number().over(
                        Window.partitionBy(key).orderBy(order.toArray(Column[]::new))))
                .where(col("delivery_rank").equalTo(1))
                .drop("delivery_rank");
    }
}
