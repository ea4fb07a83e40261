package com.example.lakehouse.dev.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import com.example.lakehouse.config.ConfigKeys;
import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.dev.generate.AppLogGenerator;
import com.example.lakehouse.dev.generate.GeneratedMessage;
import com.example.lakehouse.dev.generate.KafkaPublisher;
import com.example.lakehouse.serve.ApiServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * End-to-end freshness: new devices open the app at a steady rate (one start log each, produced to
 * Kafka and acknowledged) beside ordinary traffic, while the ingest runs and the query API answers; a poller asks the API for
 * today's DAU every {@link #POLL_INTERVAL}. A device counts as visible when DAU reaches its number: a
 * micro-batch reads every partition up to the offsets current when it is planned, so device n is never
 * visible before devices 1..n-1, and DAU >= n means device n is. Its freshness is the time from its
 * acknowledgement to the first answer that shows it; the poll interval bounds the error.
 */
public final class FreshnessBenchmark {
    /** As often as a live page refreshing every second asks; each poll is a Trino query over two tables. */
    public static final Duration POLL_INTERVAL = Duration.ofSeconds(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Produce-to-visible times of the devices, in the order they were produced. */
    public record Result(List<Long> freshnessMillis, long apiAnswers, long slowestAnswerMillis) {
        public long percentile(double fraction) {
            List<Long> sorted = freshnessMillis.stream().sorted().toList();
            return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(fraction * sorted.size()) - 1));
        }
    }

    private record Produced(long device, long ackedAtNanos) {
    }

    private FreshnessBenchmark() {
    }

    /**
     * Produces {@code devicesPerSecond} devices a second for {@code duration} to {@code topic}, numbered
     * from {@code firstDevice} (numbers no device has used today), and polls {@code api}'s today's DAU until
     * every device shows (or {@code patience} after the last).
     */
    public static Result run(String bootstrapServers, String topic, URI api, ZoneId zone, int firstDevice,
                             Duration duration, int devicesPerSecond, Duration patience) throws Exception {
        long baseline = todaysDau(HttpClient.newHttpClient(), api);
        ConcurrentLinkedQueue<Produced> produced = new ConcurrentLinkedQueue<>();
        Thread producer = new Thread(() -> produce(bootstrapServers, topic, zone, firstDevice, duration, devicesPerSecond, produced),
                "freshness-producer");
        producer.start();

        HttpClient http = HttpClient.newHttpClient();
        List<Long> freshness = new ArrayList<>();
        long answers = 0;
        long slowestAnswer = 0;
        long deadline = Long.MAX_VALUE;
        while (true) {
            long asked = System.nanoTime();
            long visible = todaysDau(http, api) - baseline;
            long answered = System.nanoTime();
            answers++;
            slowestAnswer = Math.max(slowestAnswer, (answered - asked) / 1_000_000);
            while (!produced.isEmpty() && produced.peek().device() <= visible) {
                freshness.add((answered - produced.poll().ackedAtNanos()) / 1_000_000);
            }
            if (!producer.isAlive()) {
                if (produced.isEmpty()) {
                    break;
                }
                deadline = Math.min(deadline, answered + patience.toNanos());
                if (answered > deadline) {
                    throw new IllegalStateException(produced.size() + " devices not visible through the API "
                            + patience.toSeconds() + " s after the last was produced (" + visible + " visible)");
                }
            }
            Thread.sleep(POLL_INTERVAL.toMillis());
        }
        return new Result(freshness, answers, slowestAnswer);
    }

    private static void produce(String bootstrapServers, String topic, ZoneId zone, int firstDevice, Duration duration,
                                int devicesPerSecond, ConcurrentLinkedQueue<Produced> produced) {
        long intervalNanos = 1_000_000_000L / devicesPerSecond;
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        // no linger: each device is sent on its own and waited for, so its acknowledgement is its start time
        try (KafkaProducer<byte[], byte[]> kafka = KafkaPublisher.producer(bootstrapServers, 0)) {
            for (long device = 1; start + (device - 1) * intervalNanos < end; device++) {
                long due = start + (device - 1) * intervalNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                GeneratedMessage open = AppLogGenerator.opening(firstDevice + (int) device - 1, 1, Instant.now(), zone, device).get(0);
                kafka.send(new ProducerRecord<>(topic, open.key(), open.value())).get();
                produced.add(new Produced(device, System.nanoTime()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot produce to " + topic + ": " + e.getCause().getMessage(), e);
        }
    }

    private static long todaysDau(HttpClient http, URI api) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(api.resolve("realtime-total")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("the API answered " + answer.statusCode() + ": " + answer.body());
        }
        for (JsonNode figure : JSON.readTree(answer.body())) {
            if (figure.get("id").asText().equals("dau")) {
                return figure.get("value").asLong();
            }
        }
        throw new IllegalStateException("the API's answer has no dau: " + answer.body());
    }

    /**
     * `bench freshness`: a broker, the ingest (its live query on {@code liveTrigger}, the archive on {@code trigger}), Trino and the API, all on this machine
     * under {@code workDir}; a warm-up, then the measured run; prints the table of docs/benchmarks.md.
     */
    public static void report(LakehouseConfig base, Path workDir, int seconds, int warmUpSeconds, int devicesPerSecond,
                              int backgroundPerSecond, String liveTrigger, String trigger) throws Exception {
        LakehouseConfig withTables = base.toBuilder().tableRoot(workDir.resolve("tables"))
                .checkpointRoot(workDir.resolve("checkpoints")).trigger(trigger)
                .set(ConfigKeys.INGEST_LIVE_TRIGGER, liveTrigger).build();
        try (LiveIngest ingest = LiveIngest.start(withTables, workDir.resolve("run"), "bench-freshness", backgroundPerSecond);
             ApiServer api = ApiServer.start(ingest.config(), "127.0.0.1", 0)) {
            LakehouseConfig config = ingest.config();
            String bootstrap = config.kafka().bootstrapServers();
            Duration patience = Duration.ofMinutes(2);
            // devices numbered above any the generators use, so each is new today; the warm-up's apart
            run(bootstrap, config.kafka().appLogTopic(), api.uri(), config.timeZone(), 10_000_000,
                    Duration.ofSeconds(warmUpSeconds), devicesPerSecond, patience);
            int warmUpBatches = ingest.live().recentProgress().length;
            Result result = run(bootstrap, config.kafka().appLogTopic(), api.uri(),
                    config.timeZone(), 20_000_000, Duration.ofSeconds(seconds), devicesPerSecond, patience);
            long[] batchMillis = Arrays.stream(ingest.live().recentProgress()).skip(warmUpBatches)
                    .filter(progress -> progress.numInputRows() > 0)
                    .mapToLong(progress -> progress.durationMs().get("triggerExecution")).sorted().toArray();
            System.out.printf("| devices | other messages/s | live trigger | archive trigger | p50 ms | p95 ms | max ms | live micro-batch p50 ms | live micro-batch max ms | slowest API answer ms |%n");
            System.out.printf("|---|---|---|---|---|---|---|---|---|---|%n");
            System.out.printf("| %d | %d | %s | %s | %d | %d | %d | %d | %d | %d |%n", result.freshnessMillis().size(),
                    backgroundPerSecond, liveTrigger, trigger,
                    result.percentile(0.5), result.percentile(0.95), result.percentile(1.0),
                    batchMillis.length == 0 ? 0 : batchMillis[batchMillis.length / 2],
                    batchMillis.length == 0 ? 0 : batchMillis[batchMillis.length - 1], result.slowestAnswerMillis());
        }
    }
}
