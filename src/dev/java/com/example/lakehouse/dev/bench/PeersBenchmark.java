package com.example.lakehouse.dev.bench;

import static org.apache.spark.sql.functions.col;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataType;

import com.example.lakehouse.config.ConfigException;
import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.dev.generate.GeneratedMessage;
import com.example.lakehouse.dev.stack.LocalServer;
import com.example.lakehouse.format.applog.AppLogTransforms;
import com.example.lakehouse.job.SparkSessions;
import com.example.lakehouse.sink.DeltaSink;
import com.example.lakehouse.sink.KeyTimeRanges;
import com.example.lakehouse.source.KafkaSource;
import com.example.lakehouse.table.SessionTables;
import com.example.lakehouse.table.Tables;

import io.delta.tables.DeltaTable;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.SetParams;

/**
 * The same generated batches through five ways of landing app logs in Delta, in one JVM:
 * <ul>
 *   <li>plain append, every delivery kept (the ceiling);</li>
 *   <li>the seed's scheme: SET NX with a day's expiry in a real Redis per message key, then append of
 *       the keys that were new;</li>
 *   <li>Spark's state-store dedup, {@code dropDuplicatesWithinWatermark} on a stream, then append;</li>
 *   <li>ours: the sink's keyed insert into {@code ods_app_log} ({@code DeltaSink.insertNew}: the table's keys
 *       where the batch's can be, read in the append's own Delta transaction, anti-joined, then appended);</li>
 *   <li>the same anti-join and append as plain Spark calls, the read not recorded in the append's commit.</li>
 * </ul>
 * Each validates and parses the batch itself, inside its timing. Append, Redis, ours and the anti-join alternate
 * batch by batch; the watermark path is a streaming query, so it runs afterwards over the same batches
 * written as one Parquet file each (one file per micro-batch). Batch 0 warms the JVM and is left out.
 */
public final class PeersBenchmark {
    public static final String PLAIN_APPEND = "plain Delta append";
    public static final String REDIS = "Redis SET NX, then append";
    public static final String WATERMARK = "dropDuplicatesWithinWatermark, then append";
    public static final String OURS = "ours: the sink's keyed insert into ods_app_log";
    public static final String ANTI_JOIN = "anti-join on the pruned table, then append";
    private static final Duration REDIS_KEY_EXPIRY = Duration.ofDays(1);

    /** One peer's throughput over the measured batches, and what its table holds at the end. */
    public record PeerResult(String peer, long messages, long millis, long rowsKept) {
        public double messagesPerSecond() {
            return messages * 1000.0 / millis;
        }

        /** This peer's throughput over {@code other}'s in the same {@code results}. */
        public static double ratio(List<PeerResult> results, String peer, String other) {
            return find(results, peer).messagesPerSecond() / find(results, other).messagesPerSecond();
        }

        private static PeerResult find(List<PeerResult> results, String peer) {
            return results.stream().filter(result -> result.peer().equals(peer)).findFirst().orElseThrow();
        }
    }

    private PeersBenchmark() {
    }

    public static List<PeerResult> run(SparkSession spark, LakehouseConfig config, Tables tables,
                                       List<List<GeneratedMessage>> batches, int redisPort, Path workDir)
            throws TimeoutException, StreamingQueryException {
        DataType logType = tables.appLogType();
        String appendTable = config.storage().tableRoot() + "/peer_plain_append";
        String redisTable = config.storage().tableRoot() + "/peer_redis_then_append";
        String input = workDir.resolve("batches").toAbsolutePath().toString();
        String antiJoinTable = config.storage().tableRoot() + "/peer_anti_join_then_append";
        long[] millis = new long[4];
        long measuredMessages = 0;
        long offset = 0;
        for (int i = 0; i < batches.size(); i++) {
            Dataset<Row> records = IngestBenchmark.asKafkaRecords(spark, "app_log", batches.get(i), offset).cache();
            records.count();
            offset += batches.get(i).size();
            records.coalesce(1).write().mode("append").parquet(input);
            // every path with the Spark settings the ingest gives a batch of this size
            SparkSessions.configureForBatch(spark, config, OptionalLong.of(batches.get(i).size()));

            long[] batch = {
                timed(() -> AppLogTransforms.appLogRows(AppLogTransforms.validate(records), logType)
                        .write().format("delta").mode("append").save(appendTable)),
                timed(() -> newInRedis(AppLogTransforms.appLogRows(AppLogTransforms.validate(records), logType), redisPort)
                        .write().format("delta").mode("append").save(redisTable)),
                timed(() -> new DeltaSink(spark, config.storage().tableRoot()).insertNew(tables.odsAppLog(),
                        AppLogTransforms.acceptedAppLogs(AppLogTransforms.validate(records), logType))),
                timed(() -> antiJoinThenAppend(spark, AppLogTransforms.acceptedAppLogs(AppLogTransforms.validate(records),
                        logType), antiJoinTable)),
            };
            records.unpersist();
            if (i > 0) {
                measuredMessages += batches.get(i).size();
                for (int peer = 0; peer < batch.length; peer++) {
                    millis[peer] += batch[peer];
                }
            }
        }
        String watermarkTable = config.storage().tableRoot() + "/peer_watermark_then_append";
        long watermarkMillis = watermarkPeer(spark, logType, input, watermarkTable, workDir.resolve("watermark-checkpoint"));
        return List.of(
                new PeerResult(PLAIN_APPEND, measuredMessages, millis[0], rows(spark, appendTable)),
                new PeerResult(REDIS, measuredMessages, millis[1], rows(spark, redisTable)),
                new PeerResult(WATERMARK, measuredMessages, watermarkMillis, rows(spark, watermarkTable)),
                new PeerResult(OURS, measuredMessages, millis[2], spark.table(tables.odsAppLog().name()).count()),
                new PeerResult(ANTI_JOIN, measuredMessages, millis[3], rows(spark, antiJoinTable)));
    }

    /**
     * The rows whose key Redis did not hold yet: one pipelined SET NX EX per row and partition, so a key
     * seen in this batch or any batch of the last day is dropped, the seed's first scheme.
     */
    private static Dataset<Row> newInRedis(Dataset<Row> rows, int redisPort) {
        return rows.mapPartitions((MapPartitionsFunction<Row, Row>) partition -> {
            List<Row> buffered = new ArrayList<>();
            partition.forEachRemaining(buffered::add);
            List<Response<String>> answers = new ArrayList<>(buffered.size());
            try (Jedis redis = new Jedis("127.0.0.1", redisPort)) {
                Pipeline pipeline = redis.pipelined();
                SetParams newForADay = SetParams.setParams().nx().ex(REDIS_KEY_EXPIRY.toSeconds());
                for (Row row : buffered) {
                    answers.add(pipeline.set(row.getString(row.fieldIndex("log_id")), "1", newForADay));
                }
                pipeline.sync();
            }
            List<Row> fresh = new ArrayList<>();
            for (int i = 0; i < buffered.size(); i++) {
                if ("OK".equals(answers.get(i).get())) {
                    fresh.add(buffered.get(i));
                }
            }
            return fresh.iterator();
        }, Encoders.row(rows.schema()));
    }

    /**
     * The sink's dedup as plain Spark calls: the rows whose log_id the table's files of the batch's days and
     * minutes lack, appended. Kept as a peer to show what the sink's transaction adds; the sink does not write
     * this way, because a plain append does not conflict with a concurrent writer that inserted the same key.
     */
    private static void antiJoinThenAppend(SparkSession spark, Dataset<Row> rows, String table) {
        Dataset<Row> source = rows.persist();
        try {
            if (!DeltaTable.isDeltaTable(spark, table)) {
                source.write().format("delta").partitionBy("dt").mode("append").save(table);
                return;
            }
            List<Row> described = source.select(col("dt"), KeyTimeRanges.minuteOf(col("event_time"))).distinct().collectAsList();
            Object[] days = described.stream().map(row -> row.get(0)).distinct().toArray();
            long[] minutes = described.stream().mapToLong(row -> row.getLong(1)).distinct().sorted().toArray();
            Dataset<Row> existing = spark.read().format("delta").load(table)
                    .where(col("dt").isin(days).and(KeyTimeRanges.ofMinutes("event_time", minutes).condition()))
                    .select("log_id");
            source.join(existing, source.col("log_id").equalTo(existing.col("log_id")), "left_anti")
                    .write().format("delta").mode("append").save(table);
        } finally {
            source.unpersist();
        }
    }

    /** The batches as a stream, one file per micro-batch; the sum of the measured micro-batches' times. */
    private static long watermarkPeer(SparkSession spark, DataType logType, String input, String table, Path checkpoint)
            throws TimeoutException, StreamingQueryException {
        Dataset<Row> stream = spark.readStream().schema(KafkaSource.RECORD_SCHEMA).option("maxFilesPerTrigger", 1)
                .parquet(input);
        StreamingQuery query = AppLogTransforms.appLogRows(AppLogTransforms.validate(stream), logType)
                .withWatermark("event_time", "1 day")
                .dropDuplicatesWithinWatermark("log_id")
                .writeStream()
                .option("checkpointLocation", checkpoint.toAbsolutePath().toString())
                .trigger(Trigger.AvailableNow())
                .foreachBatch((VoidFunction2<Dataset<Row>, Long>) (batch, batchId) ->
                        batch.write().format("delta").mode("append").save(table))
                .start();
        query.awaitTermination();
        return Arrays.stream(query.recentProgress()).skip(1)
                .mapToLong(progress -> progress.durationMs().get("triggerExecution")).sum();
    }

    private static long rows(SparkSession spark, String table) {
        return spark.read().format("delta").load(table).count();
    }

    /** The wall time of {@code work}, in milliseconds. */
    static long timed(Runnable work) {
        long started = System.nanoTime();
        work.run();
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }

    /** A real redis-server (Debian's package) on 127.0.0.1, no persistence, stopped on close. */
    public static final class LocalRedis implements AutoCloseable {
        private final Process process;
        public final int port;

        /** Whether a redis-server is on the PATH. */
        public static boolean isInstalled() {
            return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                    .anyMatch(dir -> Files.isExecutable(Path.of(dir, "redis-server")));
        }

        public LocalRedis(int port, Path logFile) throws IOException, InterruptedException {
            this.port = port;
            try {
                this.process = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                        "--save", "", "--appendonly", "no")
                        .redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
            } catch (IOException e) {
                throw new IllegalStateException("cannot start redis-server (apt-get install redis-server): " + e.getMessage(), e);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                try (Jedis redis = new Jedis("127.0.0.1", port)) {
                    redis.ping();
                    return;
                } catch (RuntimeException notYet) {
                    if (!process.isAlive() || System.nanoTime() > deadline) {
                        process.destroyForcibly();
                        throw new IllegalStateException("redis-server did not start; see " + logFile, notYet);
                    }
                    Thread.sleep(100);
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * `bench peers`: the messages cut into batches of {@code batchSize}, run through every peer with a Redis
     * of its own under {@code workDir}; prints one table of msg/s and ratio to append, and returns it.
     */
    public static List<PeerResult> report(LakehouseConfig config, Tables tables, List<GeneratedMessage> messages,
                                          int batchSize, Path workDir) throws Exception {
        List<List<GeneratedMessage>> batches = new ArrayList<>();
        for (int from = 0; from < messages.size(); from += batchSize) {
            batches.add(messages.subList(from, Math.min(messages.size(), from + batchSize)));
        }
        if (batches.size() < 2) {
            throw new ConfigException(messages.size() + " messages make one batch of " + batchSize
                    + "; generate more (--devices, --days) or lower --batch-size");
        }
        // what an exact dedup keeps, counted here: the distinct bytes of the valid messages
        long distinct = messages.stream().filter(GeneratedMessage::valid)
                .map(message -> new String(message.value(), StandardCharsets.ISO_8859_1)).distinct().count();
        Files.createDirectories(workDir);
        SparkSession spark = SparkSessions.createForIngest(config, "bench-peers", tables.all());
        SessionTables.createMissing(spark, config.storage().tableRoot(), List.of(tables.odsAppLog()));
        List<PeerResult> results;
        try (LocalRedis redis = new LocalRedis(LocalServer.freePort(), workDir.resolve("redis.log"))) {
            results = run(spark, config, tables, batches, redis.port, workDir);
        }
        System.out.printf("%d batches of up to %d messages; the first warms the JVM and is not counted; an exact dedup keeps %d rows%n",
                batches.size(), batchSize, distinct);
        System.out.println("| path | msg/s | ratio to append | rows kept |");
        System.out.println("|---|---|---|---|");
        results.forEach(result -> System.out.printf("| %s | %.0f | %.2f | %d |%n", result.peer(), result.messagesPerSecond(),
                PeerResult.ratio(results, result.peer(), PLAIN_APPEND), result.rowsKept()));
        return results;
    }
}
