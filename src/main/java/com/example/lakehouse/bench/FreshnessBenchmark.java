package com.example.lakehouse.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import com.example.lakehouse.generate.AppLogGenerator;
import com.example.lakehouse.generate.GeneratedMessage;
import com.example.lakehouse.kafka.KafkaTopics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * End-to-end freshness: new devices open the app at a steady rate (one start log each, produced to
 * Kafka and acknowledged), while the ingest runs and the query API answers; a poller asks the API for
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
        try (KafkaProducer<byte[], byte[]> kafka = KafkaTopics.producer(bootstrapServers, 0)) {
            for (long device = 1; start + (device - 1) * intervalNanos < end; device++) {
                long due = start + (device - 1) * intervalNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                GeneratedMessage open = AppLogGenerator.openingNow(firstDevice + (int) device - 1, 1, Instant.now(), zone, device).get(0);
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
}
