package com.example.lakehouse.format;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.make_valid_utf8;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.udf;

import java.time.Instant;
import java.util.Arrays;
import java.util.stream.Stream;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF0;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * What every ingest does with Kafka records (the columns of Spark's Kafka source: value, topic,
 * partition, offset, timestamp) before it knows their format: check them, quarantine the bad ones,
 * and keep one delivery of each message.
 */
public final class KafkaMessages {
    /** The start of a tombstone's message_id. */
    public static final String NO_VALUE = "null-value";

    private KafkaMessages() {
    }

    /**
     * Adds {@code message_id}, the SHA-256 of the exact message bytes, and {@code problem}: what the
     * format's reader says is wrong with the message, null for a valid one. A record without a value (a
     * tombstone) is known by what it holds too: a no-value marker and the SHA-256 of its Kafka key, if it
     * has one, so the same tombstone sent again is the same message, as any other message is.
     */
    public static Dataset<Row> validate(Dataset<Row> kafkaRecords, Column problem) {
        return kafkaRecords
                .withColumn("message_id", coalesce(sha2(col("value"), 256),
                        concat_ws("/", lit(NO_VALUE), coalesce(sha2(col("key"), 256), lit("no-key")))))
                .withColumn("problem", problem);
    }

    /**
     * Invalid messages as ods_rejected rows, with the reason, one per distinct message: the exact bytes,
     * and beside them the text with any invalid UTF-8 replaced, which every reader can read.
     */
    public static Dataset<Row> rejectedMessages(Dataset<Row> validated, String source) {
        return firstDelivery(rejectedDeliveries(validated, source), "message_id");
    }

    /** Like {@link #rejectedMessages}, every delivery: for records that are one delivery of each message already. */
    public static Dataset<Row> rejectedDeliveries(Dataset<Row> validated, String source) {
        return validated
                .where(col("problem").isNotNull())
                .select(withKafkaPosition(
                        lit(source).as("source"),
                        col("message_id"),
                        col("problem").as("reason"),
                        col("value").as("raw"),
                        make_valid_utf8(col("value").cast("string")).as("raw_text")))
                .withColumn("rejected_at", takenInAt());
    }

    /** {@code columns} followed by the Kafka position columns every ods table keeps. */
    public static Column[] withKafkaPosition(Column... columns) {
        return Stream.concat(Arrays.stream(columns), Stream.of(col("topic").as("kafka_topic"),
                col("partition").as("kafka_partition"), col("offset").as("kafka_offset"),
                col("timestamp").as("kafka_timestamp"))).toArray(Column[]::new);
    }

    /**
     * The time the rows are taken in, now, the same for every row of the queries built on it: what
     * {@code current_timestamp()} gives, in a form Spark's generated code reads from the query's references
     * instead of writing into its source. Spark writes a timestamp literal into the Java source of every stage
     * that carries it, so with {@code current_timestamp()} each batch's stages were new classes: compiled by
     * Janino, then by the JVM's JIT, every batch again. A function of no arguments is not folded into a literal.
     */
    public static Column takenInAt() {
        Instant now = Instant.now();
        return udf((UDF0<Instant>) () -> now, DataTypes.TimestampType).withName("taken_in_at").apply();
    }

    /**
     * Keeps one row per key: the earliest Kafka position, so that which copy of a duplicate is kept does
     * not depend on how Spark split the batch. (A keyed write also needs unique source keys.)
     */
    public static Dataset<Row> firstDelivery(Dataset<Row> rows, String key) {
        return earliestOf(rows, key, "kafka_topic", "kafka_partition", "kafka_offset");
    }

    /**
     * {@link #validate}d records (Kafka's own columns), one per message: its first delivery, as {@link #firstDelivery}
     * keeps it. Keeping it before a message is parsed shuffles its bytes only, not the bytes and the parsed row.
     */
    public static Dataset<Row> firstDeliveries(Dataset<Row> validated) {
        return earliestOf(validated, "message_id", "topic", "partition", "offset");
    }

    private static Dataset<Row> earliestOf(Dataset<Row> rows, String key, String... positionColumns) {
        Column[] order = Arrays.stream(positionColumns).map(functions::col).toArray(Column[]::new);
        return rows
                .withColumn("delivery_rank", row_number().over(Window.partitionBy(key).orderBy(order)))
                .where(col("delivery_rank").equalTo(1))
                .drop("delivery_rank");
    }
}
