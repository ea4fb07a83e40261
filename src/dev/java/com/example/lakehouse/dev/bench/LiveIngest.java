package com.example.lakehouse.dev.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;

import com.example.lakehouse.cli.JobControlCommands;
import com.example.lakehouse.cli.LakehouseCli;
import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.dev.generate.AppLogGenerator;
import com.example.lakehouse.dev.generate.GeneratedMessage;
import com.example.lakehouse.dev.generate.KafkaPublisher;
import com.example.lakehouse.dev.stack.LocalStack;
import com.example.lakehouse.job.AppLogIngestJob;
import com.example.lakehouse.job.SparkSessions;
import com.example.lakehouse.kafka.KafkaTopics;
import com.example.lakehouse.process.BackgroundJob;
import com.example.lakehouse.table.SessionTables;
import com.example.lakehouse.table.Tables;

/**
 * What the end-to-end benchmarks run on this machine: a broker, the app-log ingest's archive and live queries
 * over the configured tables (every table created, as the API reads them all), Trino over them, and ordinary
 * traffic for the ingest; with a shop, also MariaDB, Maxwell and the CDC ingest, the last as `start ingest-cdc`
 * runs it: a process of its own with this configuration. Closing stops the traffic, the queries, the CDC ingest
 * and the servers.
 */
final class LiveIngest implements AutoCloseable {
    /** A `<query> batch N: M records in T ms (phases)` line of an ingest's log, as StreamingJobs.logProgress writes it. */
    static final Pattern BATCH_LINE = Pattern.compile(" (\\w+) batch \\d+: \\d+ records in (\\d+) ms");

    private final LocalStack stack;
    private final LakehouseConfig config;
    private final List<StreamingQuery> queries;
    private final Optional<BackgroundJob> cdc;
    private final Thread traffic;

    private LiveIngest(LocalStack stack, LakehouseConfig config, List<StreamingQuery> queries,
                       Optional<BackgroundJob> cdc, Thread traffic) {
        this.stack = stack;
        this.config = config;
        this.queries = queries;
        this.cdc = cdc;
        this.traffic = traffic;
    }

    /**
     * Starts it all over {@code tables} with the servers' files under {@code runDir}, {@code otherMessagesPerSecond} of
     * traffic, and the shop's source database, Maxwell and CDC ingest if {@code withShop}.
     */
    static LiveIngest start(LakehouseConfig withTables, Tables tables, Path runDir, String appName,
                            int otherMessagesPerSecond, boolean withShop) throws Exception {
        LocalStack stack = new LocalStack(runDir, withTables).startKafka();
        BackgroundJob cdcIngest = JobControlCommands.job("ingest-cdc");
        try {
            SparkSession spark = SparkSessions.createForIngest(stack.config(), appName, tables.all());
            SessionTables.createMissing(spark, stack.config().storage().tableRoot(), tables.all());
            stack.startTrino();
            if (withShop) {
                stack.startSourceDatabase().startMaxwell();
            }
            LakehouseConfig config = stack.config();
            KafkaTopics.ensure(config.kafka().bootstrapServers(), config.kafka().appLogTopic(), AppLogIngestJob.TOPIC_PARTITIONS);
            AppLogIngestJob job = AppLogIngestJob.intoDelta(spark, config, tables);
            List<StreamingQuery> queries = new ArrayList<>();
            queries.add(job.startLive(spark, config, config.ingest().liveTrigger()));
            queries.add(job.startArchive(spark, config, config.ingest().trigger()));
            if (withShop) {
                Path configFile = runDir.resolve("ingest-cdc.properties");
                config.writeTo(configFile);
                cdcIngest.start(config.storage().runDir(), LakehouseCli.class.getName(),
                        List.of("--config", configFile.toString()), Duration.ofMinutes(3));
            }
            return new LiveIngest(stack, config, queries, withShop ? Optional.of(cdcIngest) : Optional.empty(),
                    traffic(config.kafka().bootstrapServers(), config.kafka().appLogTopic(), config.timeZone(),
                            otherMessagesPerSecond));
        } catch (Exception | Error e) {
            try {
                cdcIngest.stop(stack.config().storage().runDir(), Duration.ofMinutes(1)); // if it started
            } finally {
                stack.close();
            }
            throw e;
        }
    }

    /** The configuration with the servers' addresses. */
    LakehouseConfig config() {
        return config;
    }

    /**
     * The durations of the micro-batches that read something of query {@code name}, in the order they ran: from
     * Spark's progress reports for a query of this JVM, from its log for one of the CDC ingest.
     */
    List<Long> batchMillis(String name) throws IOException {
        Optional<StreamingQuery> here = queries.stream().filter(query -> name.equals(query.name())).findFirst();
        if (here.isPresent()) {
            return Arrays.stream(here.get().recentProgress()).filter(progress -> progress.numInputRows() > 0)
                    .map(progress -> (long) progress.durationMs().get("triggerExecution")).toList();
        }
        return batchMillis(Files.readAllLines(cdc.orElseThrow().logFile(config.storage().runDir())), name);
    }

    /** The durations of query {@code name}'s micro-batches that read something, from an ingest's log lines. */
    static List<Long> batchMillis(List<String> logLines, String name) {
        List<Long> millis = new ArrayList<>();
        for (String line : logLines) {
            Matcher batch = BATCH_LINE.matcher(line);
            if (batch.find() && batch.group(1).equals(name)) {
                millis.add(Long.parseLong(batch.group(2)));
            }
        }
        return millis;
    }

    @Override
    public void close() throws Exception {
        try {
            traffic.interrupt();
            traffic.join();
            // the traffic's last records taken in first, so stopping cuts off no write (and logs no aborted job)
            for (StreamingQuery query : queries) {
                if (query.isActive()) {
                    query.processAllAvailable();
                }
            }
            for (StreamingQuery query : queries) {
                query.stop();
            }
        } finally {
            try {
                if (cdc.isPresent()) {
                    cdc.get().stop(config.storage().runDir(), Duration.ofMinutes(1));
                }
            } finally {
                stack.close();
            }
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
