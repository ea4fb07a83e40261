package com.example.lakehouse.job;

import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.Consumer;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.kafka.KafkaTopics;
import com.example.lakehouse.sink.TableSink;
import com.example.lakehouse.source.KafkaSource;
import com.example.lakehouse.table.TableDef;

/**
 * An ingest of one Kafka topic: a source of Kafka-shaped records and a sink, both passed in, with the
 * format's batch logic ({@link #writeBatch}) in between. The same job runs as a background process
 * ({@link #run}), drains a topic for the demo and the tests ({@link #drain}), or takes a test's own
 * records ({@link #start}).
 */
public abstract class KafkaIngestJob {
    protected final TableSink sink;
    private final String queryName;
    private final String topic;
    private final int topicPartitions;
    private final List<TableDef> tables;

    protected KafkaIngestJob(TableSink sink, String queryName, String topic, int topicPartitions, List<TableDef> tables) {
        this.sink = sink;
        this.queryName = queryName;
        this.topic = topic;
        this.topicPartitions = topicPartitions;
        this.tables = tables;
    }

    /** One micro-batch of Kafka records; every write idempotent, since a batch whose commit was lost runs again. */
    public abstract void writeBatch(Dataset<Row> kafkaRecords);

    /** Starts the query over any stream of Kafka-shaped records; tests pass their own. */
    public StreamingQuery start(LakehouseConfig config, Dataset<Row> kafkaRecords, Trigger trigger) throws TimeoutException {
        return start(config, kafkaRecords, trigger, queryName, this::writeBatch);
    }

    /** Starts the query over the job's topic, from where its checkpoint left off. */
    public StreamingQuery startOnTopic(SparkSession spark, LakehouseConfig config, Trigger trigger) throws TimeoutException {
        return startOnTopic(spark, config, trigger, queryName, this::writeBatch);
    }

    /** Starts query {@code name} of the job (its checkpoint is its own) with {@code write} as its batch function. */
    protected StreamingQuery startOnTopic(SparkSession spark, LakehouseConfig config, Trigger trigger, String name,
                                          Consumer<Dataset<Row>> write) throws TimeoutException {
        return start(config, KafkaSource.stream(spark, config, topic), trigger, name, write);
    }

    private StreamingQuery start(LakehouseConfig config, Dataset<Row> kafkaRecords, Trigger trigger, String name,
                                 Consumer<Dataset<Row>> write) throws TimeoutException {
        sink.createMissing(tables);
        return StreamingJobs.startForeachBatch(name, config, kafkaRecords, trigger, write);
    }

    /**
     * The job's queries with {@code trigger}, as stages of {@link StreamingJobs#run}: the topic's query. A job
     * that derives tables from its own output adds a stage (available-now) or a query (an interval).
     */
    protected List<StreamingJobs.Stage> stages(SparkSession spark, LakehouseConfig config, Trigger trigger) {
        return List.of(() -> List.of(startOnTopic(spark, config, trigger)));
    }

    /**
     * Ingests what the topic holds now, in as many micro-batches as kafka.max-offsets-per-trigger makes,
     * and whatever the job derives from it, then returns.
     */
    public void drain(SparkSession spark, LakehouseConfig config) throws Exception {
        for (StreamingJobs.Stage stage : stages(spark, config, Trigger.AvailableNow())) {
            for (StreamingQuery query : stage.start()) {
                query.awaitTermination();
            }
        }
    }

    /**
     * Runs the job built by {@code job} in a session of its own until stopped, or until Kafka is drained
     * when the trigger is available-now. The topic is created if it does not exist yet, so the ingest can
     * start before the first producer.
     */
    static void run(LakehouseConfig config, Trigger trigger, String queryName,
                    BiFunction<SparkSession, LakehouseConfig, KafkaIngestJob> job) throws Exception {
        StreamingJobs.run(config, queryName, spark -> {
            KafkaIngestJob ingest = job.apply(spark, config);
            KafkaTopics.ensure(config.kafka().bootstrapServers(), ingest.topic, ingest.topicPartitions);
            return ingest.stages(spark, config, trigger);
        });
    }
}
