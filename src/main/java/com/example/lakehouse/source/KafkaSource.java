package com.example.lakehouse.source;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

import com.example.lakehouse.config.LakehouseConfig;

/** A Kafka topic as a stream of records (key, value, topic, partition, offset, timestamp). */
public final class KafkaSource {
    /** The columns Spark's Kafka source gives (headers left out); other record sources, such as tests, use the same. */
    public static final StructType RECORD_SCHEMA = StructType.fromDDL(
            "key BINARY, value BINARY, topic STRING, partition INT, offset BIGINT, timestamp TIMESTAMP");

    private static final int FETCH_MAX_WAIT_MS = 10;

    private KafkaSource() {
    }

    public static Dataset<Row> stream(SparkSession spark, LakehouseConfig config, String topic) {
        return spark.readStream().format("kafka")
                .option("kafka.bootstrap.servers", config.kafka().bootstrapServers())
                .option("subscribe", topic)
                // a new checkpoint reads the topic from its start; afterwards the checkpoint decides
                .option("startingOffsets", "earliest")
                .option("maxOffsetsPerTrigger", config.kafka().maxOffsetsPerTrigger())
                // with the consumer's default fetch.max.wait.ms (500 ms), the broker may hold a fetch that long
                // when it has no newer record: each micro-batch's read of a few records took about 530 ms. A task
                // reads a range it knows to exist, so a short wait costs only more fetch requests when idle.
                .option("kafka.fetch.max.wait.ms", FETCH_MAX_WAIT_MS)
                .load();
    }
}
