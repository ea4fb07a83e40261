package com.example.lakehouse.dev.bench;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;

import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.dev.generate.AppLogGenerator;
import com.example.lakehouse.dev.generate.GeneratedMessage;
import com.example.lakehouse.dev.generate.KafkaPublisher;
import com.example.lakehouse.dev.stack.LocalStack;
import com.example.lakehouse.job.AppLogIngestJob;
import com.example.lakehouse.job.CdcIngestJob;
import com.example.lakehouse.job.SparkSessions;
import com.example.lakehouse.kafka.KafkaTopics;
import com.example.lakehouse.table.TableCatalog;
import com.example.lakehouse.table.Tables;

/**
 * What the end-to-end benchmarks run on this machine: a broker, the app-log ingest's archive and live queries
 * over the configured tables (every table created, as the API reads them all), Trino over them, and ordinary
 * traffic for the ingest; with a shop, also MariaDB, Maxwell and the CDC ingest's queries as `start ingest-cdc`
 * runs them. Closing stops the traffic, then the queries between micro-batches, then the servers.
 */
final class LiveIngest implements AutoCloseable {
    private final LocalStack stack;
    private final LakehouseConfig config;
    private final StreamingQuery live;
    private final List<StreamingQuery> queries;
    private final Thread traffic;

    private LiveIngest(LocalStack stack, LakehouseConfig config, StreamingQuery live, List<StreamingQuery> queries,
                       Thread traffic) {
        this.stack = stack;
        this.config = config;
        this.live = live;
        this.queries = queries;
        this.traffic = traffic;
    }

    /**
     * Starts it all with the servers' files under {@code runDir}, {@code otherMessagesPerSecond} of traffic, and
     * the shop's source database, Maxwell and CDC ingest if {@code withShop}.
     */
    static LiveIngest start(LakehouseConfig withTables, Path runDir, String appName, int otherMessagesPerSecond,
                            boolean withShop) throws Exception {
        LocalStack stack = new LocalStack(runDir, withTables).startKafka();
        try {
            SparkSession spark = SparkSessions.create(stack.config(), appName);
            TableCatalog.createMissing(spark, stack.config().storage().tableRoot(), Tables.ALL);
            stack.startTrino();
            if (withShop) {
                stack.startSourceDatabase().startMaxwell();
            }
            LakehouseConfig config = stack.config();
            KafkaTopics.ensure(config.kafka().bootstrapServers(), config.kafka().appLogTopic(), AppLogIngestJob.TOPIC_PARTITIONS);
            AppLogIngestJob job = AppLogIngestJob.intoDelta(spark, config);
            List<StreamingQuery> queries = new ArrayList<>();
            StreamingQuery live = job.startLive(spark, config, config.ingest().liveTrigger());
            queries.add(live);
            queries.add(job.startArchive(spark, config, config.ingest().trigger()));
            if (withShop) {
                CdcIngestJob cdc = CdcIngestJob.intoDelta(spark, config);
                queries.add(cdc.startCapture(spark, config, config.ingest().liveTrigger()));
                queries.add(cdc.startLiveMirror(spark, config, config.ingest().liveTrigger()));
                queries.add(cdc.startMirrors(spark, config, config.ingest().mirrorTrigger()));
            }
            return new LiveIngest(stack, config, live, queries, traffic(config.kafka().bootstrapServers(),
                    config.kafka().appLogTopic(), config.timeZone(), otherMessagesPerSecond));
        } catch (Exception | Error e) {
            stack.close();
            throw e;
        }
    }

    /** The configuration with the servers' addresses. */
    LakehouseConfig config() {
        return config;
    }

    /** The live query (today's devices). */
    StreamingQuery live() {
        return live;
    }

    /** The running query named {@code name}. */
    StreamingQuery query(String name) {
        return queries.stream().filter(query -> name.equals(query.name())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no query " + name + " runs here"));
    }

    @Override
    public void close() throws Exception {
        try {
            traffic.interrupt();
            traffic.join();
            for (StreamingQuery query : queries) {
                query.stop(); // the tables are the benchmark's own: a batch cut off is of no matter
            }
        } finally {
            stack.close();
        }
    }

    /**
     * A thread producing {@code perSecond} ordinary messages a second until interrupted (none for 0): the
     * generator's mix of starts, page views, displays, actions and errors, retries and malformed messages,
     * of a week ago, sent again and again. Every message costs the ingest what today's would, while today's
     * DAU, which the measured devices move, stays theirs alone.
     */
    private static Thread traffic(String bootstrapServers, String topic, ZoneId zone, int perSecond) {
        Thread thread = new Thread(() -> {
            if (perSecond == 0) {
                return;
            }
            List<GeneratedMessage> day = AppLogGenerator.generate(new AppLogGenerator.Settings(2_000, 1,
                    LocalDate.now(zone).minusDays(7), zone, 7, 0.3, 0.05, 0.01));
            try (KafkaProducer<byte[], byte[]> kafka = KafkaPublisher.producer(bootstrapServers, 5)) {
                long start = System.nanoTime();
                for (long sent = 0; !Thread.currentThread().isInterrupted(); sent++) {
                    long wait = start + sent * 1_000_000_000L / perSecond - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    GeneratedMessage message = day.get((int) (sent % day.size()));
                    kafka.send(new ProducerRecord<>(topic, message.key(), message.value()));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "bench-traffic");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

}
