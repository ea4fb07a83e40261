package com.example.lakehouse.source;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.OptionalLong;

import org.apache.spark.Dependency;
import org.apache.spark.Partition;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.execution.LogicalRDD;
import org.apache.spark.sql.execution.datasources.v2.DataSourceRDD;
import org.apache.spark.sql.execution.datasources.v2.DataSourceRDDPartition;
import org.apache.spark.sql.kafka010.KafkaBatchInputPartition;
import org.apache.spark.sql.types.StructType;

import scala.jdk.javaapi.CollectionConverters;

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

    /**
     * How many records a micro-batch of {@link #stream} holds, known before any of them is read: the sizes of its
     * Kafka offset ranges. Spark hands a foreachBatch function its rows as an RDD over the source's partitions,
     * each partition one offset range. Empty for rows that do not come from Kafka. The classes it reads are Spark's
     * internals; AppLogPipelineIT counts the same batches, so an upgrade that changes them fails there.
     */
    public static OptionalLong recordsIn(Dataset<Row> microBatch) {
        if (!(microBatch.queryExecution().logical() instanceof LogicalRDD rows)) {
            return OptionalLong.empty();
        }
        Deque<RDD<?>> lineage = new ArrayDeque<>();
        lineage.push(rows.rdd());
        while (!lineage.isEmpty()) {
            RDD<?> rdd = lineage.pop();
            if (rdd instanceof DataSourceRDD) {
                return offsetRangeSizes(rdd);
            }
            for (Dependency<?> dependency : CollectionConverters.asJava(rdd.dependencies())) {
                lineage.push(dependency.rdd());
            }
        }
        return OptionalLong.empty();
    }

    private static OptionalLong offsetRangeSizes(RDD<?> source) {
        long records = 0;
        for (Partition partition : source.partitions()) {
            for (InputPartition range : CollectionConverters.asJava(((DataSourceRDDPartition) partition).inputPartitions())) {
                if (!(range instanceof KafkaBatchInputPartition kafka)) {
                    return OptionalLong.empty();
                }
                records += kafka.offsetRange().size();
            }
        }
        return OptionalLong.of(records);
    }
}
