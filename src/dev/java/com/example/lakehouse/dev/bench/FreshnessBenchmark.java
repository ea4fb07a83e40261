package com.example.lakehouse.dev.bench;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import com.example.lakehouse.config.ConfigKeys;
import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.dev.generate.AppLogGenerator;
import com.example.lakehouse.dev.generate.GeneratedMessage;
import com.example.lakehouse.dev.generate.KafkaPublisher;
import com.example.lakehouse.dev.stack.LocalMariaDb;
import com.example.lakehouse.job.AppLogIngestJob;
import com.example.lakehouse.job.CdcIngestJob;
import com.example.lakehouse.serve.ApiServer;
import com.example.lakehouse.table.Tables;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * End-to-end freshness of both live figures: new devices open the app at a steady rate (one start log each,
 * produced to Kafka and acknowledged) beside ordinary traffic, and, with a shop, new orders are committed in
 * the source database at a steady rate, while both ingests run and the query API answers; a poller asks the
 * API for today's totals every {@link #POLL_INTERVAL}. A device counts as visible when DAU reaches its number:
 * a micro-batch reads every partition up to the offsets current when it is planned, so device n is never
 * visible before devices 1..n-1, and DAU >= n means device n is. Orders likewise: Maxwell keeps the binlog's
 * order, every order is worth {@link #ORDER_AMOUNT}, and GMV up by n of them means order n is counted. A
 * freshness is the time from the acknowledgement (the commit) to the first answer that shows it; the poll
 * interval bounds the error.
 */
public final class FreshnessBenchmark {
    /** As often as a live page refreshing every second asks; each poll is a Trino query over two tables. */
    public static final Duration POLL_INTERVAL = Duration.ofSeconds(1);
    /** What each measured order adds to today's GMV. */
    private static final BigDecimal ORDER_AMOUNT = new BigDecimal("10.00");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Produce-to-visible times, in the order the events were produced. */
    public record Freshness(List<Long> millis) {
        public long percentile(double fraction) {
            return Percentiles.of(millis, fraction);
        }
    }

    /** Both figures' freshness, and how the API answered meanwhile. */
    public record Result(Freshness devices, Freshness orders, long apiAnswers, long slowestAnswerMillis) {
    }

    /** Today's figures as /realtime-total gives them. */
    private record Totals(long dau, BigDecimal orderAmount) {
    }

    /** The events produced and not yet seen through the API, in order, each with when it was acknowledged. */
    private static final class Pending {
        final ConcurrentLinkedQueue<Long> ackedAtNanos = new ConcurrentLinkedQueue<>();
        final AtomicLong produced = new AtomicLong();
        final List<Long> freshnessMillis = new ArrayList<>();
        long seen;

        void acked() {
            ackedAtNanos.add(System.nanoTime());
            produced.incrementAndGet();
        }

        /** Every event up to number {@code visible} (from 1) is counted at {@code answeredNanos}. */
        void visible(long visible, long answeredNanos) {
            while (seen < visible && !ackedAtNanos.isEmpty()) {
                freshnessMillis.add((answeredNanos - ackedAtNanos.poll()) / 1_000_000);
                seen++;
            }
        }
    }

    private FreshnessBenchmark() {
    }

    /**
     * Produces {@code devicesPerSecond} devices a second for {@code duration} to {@code topic}, numbered from
     * {@code firstDevice} (numbers no device has used today), and, with a {@code shop}, {@code ordersPerMinute}
     * orders a minute into it with ids from {@code firstOrder}; polls {@code api}'s totals of today until every
     * device and order shows (or fails {@code patience} after the last).
     */
    public static Result run(String bootstrapServers, String topic, URI api, ZoneId zone, int firstDevice,
                             Duration duration, int devicesPerSecond, Optional<Connection> shop, long firstOrder,
                             int ordersPerMinute, Duration patience) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Totals baseline = todaysTotals(http, api);
        Pending devices = new Pending();
        Pending orders = new Pending();
        List<Thread> producers = new ArrayList<>();
        producers.add(new Thread(() -> produceDevices(bootstrapServers, topic, zone, firstDevice, duration,
                devicesPerSecond, devices), "freshness-devices"));
        shop.ifPresent(db -> producers.add(new Thread(() -> placeOrders(db, zone, firstOrder, duration, ordersPerMinute,
                orders), "freshness-orders")));
        producers.forEach(Thread::start);

        long answers = 0;
        long slowestAnswer = 0;
        long deadline = Long.MAX_VALUE;
        while (true) {
            long asked = System.nanoTime();
            Totals totals = todaysTotals(http, api);
            long answered = System.nanoTime();
            answers++;
            slowestAnswer = Math.max(slowestAnswer, (answered - asked) / 1_000_000);
            devices.visible(totals.dau() - baseline.dau(), answered);
            orders.visible(totals.orderAmount().subtract(baseline.orderAmount()).divideToIntegralValue(ORDER_AMOUNT)
                    .longValueExact(), answered);
            if (producers.stream().noneMatch(Thread::isAlive)) {
                long missingDevices = devices.produced.get() - devices.seen;
                long missingOrders = orders.produced.get() - orders.seen;
                if (missingDevices == 0 && missingOrders == 0) {
                    break;
                }
                deadline = Math.min(deadline, answered + patience.toNanos());
                if (answered > deadline) {
                    throw new IllegalStateException(missingDevices + " devices and " + missingOrders + " orders not"
                            + " counted by the API " + patience.toSeconds() + " s after the last was produced");
                }
            }
            Thread.sleep(POLL_INTERVAL.toMillis());
        }
        return new Result(new Freshness(devices.freshnessMillis), new Freshness(orders.freshnessMillis), answers,
                slowestAnswer);
    }

    private static void produceDevices(String bootstrapServers, String topic, ZoneId zone, int firstDevice,
                                       Duration duration, int devicesPerSecond, Pending devices) {
        // no linger: each device is sent on its own and waited for, so its acknowledgement is its start time
        try (KafkaProducer<byte[], byte[]> kafka = KafkaPublisher.producer(bootstrapServers, 0)) {
            atSteadyRate(duration, 1_000_000_000L / devicesPerSecond, device -> {
                GeneratedMessage open = AppLogGenerator.opening(firstDevice + (int) device, 1, Instant.now(), zone,
                        device + 1).get(0);
                kafka.send(new ProducerRecord<>(topic, open.key(), open.value())).get();
                devices.acked();
            });
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot produce to " + topic + ": " + e.getCause().getMessage(), e);
        }
    }

    /** One order at a time, each committed on its own (autocommit), created now in the lakehouse's zone. */
    private static void placeOrders(Connection db, ZoneId zone, long firstOrder, Duration duration, int ordersPerMinute,
                                    Pending orders) {
        String insert = "INSERT INTO order_info (id, user_id, province_id, order_status, original_total_amount,"
                + " activity_reduce_amount, coupon_reduce_amount, feight_fee, total_amount, create_time)"
                + " VALUES (?, 1, 1, '1001', ?, 0, 0, 0, ?, ?)";
        try (PreparedStatement statement = db.prepareStatement(insert)) {
            atSteadyRate(duration, 60_000_000_000L / ordersPerMinute, order -> {
                statement.setLong(1, firstOrder + order);
                statement.setBigDecimal(2, ORDER_AMOUNT);
                statement.setBigDecimal(3, ORDER_AMOUNT);
                statement.setObject(4, LocalDateTime.now(zone).truncatedTo(ChronoUnit.SECONDS));
                statement.executeUpdate();
                orders.acked();
            });
        } catch (SQLException | ExecutionException e) {
            throw new IllegalStateException("cannot place an order in the source database: " + e.getMessage(), e);
        }
    }

    interface Event {
        void produce(long number) throws Exception;
    }

    /** Events 0, 1, ... every {@code intervalNanos} until {@code duration} has passed; stops when interrupted. */
    static void atSteadyRate(Duration duration, long intervalNanos, Event event) throws ExecutionException {
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        try {
            for (long number = 0; start + number * intervalNanos < end; number++) {
                long wait = start + number * intervalNanos - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                event.produce(number);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw e;
        } catch (Exception e) {
            throw new ExecutionException(e);
        }
    }

    private static Totals todaysTotals(HttpClient http, URI api) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(api.resolve("realtime-total")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("the API answered " + answer.statusCode() + ": " + answer.body());
        }
        Long dau = null;
        BigDecimal orderAmount = null;
        for (JsonNode figure : JSON.readTree(answer.body())) {
            switch (figure.get("id").asText()) {
                case "dau" -> dau = figure.get("value").asLong();
                case "order_amount" -> orderAmount = figure.get("value").decimalValue();
                default -> { }
            }
        }
        if (dau == null || orderAmount == null) {
            throw new IllegalStateException("the API's answer lacks dau or order_amount: " + answer.body());
        }
        return new Totals(dau, orderAmount);
    }

    /**
     * The two phases {@code bench freshness} measures: the ingests' first minutes after a start, and the same load
     * once they have run under it for a while. The JVMs compile the code the load runs as it first runs it, which
     * takes a good part of the two cores for several minutes (docs/benchmarks.md), so the first phase is what a
     * restart costs and the second what a running pipeline gives.
     */
    public record Phases(Result afterStart, Result running) {
    }

    /**
     * `bench freshness`: a broker, the app-log ingest (its live query on {@code liveTrigger}, the archive on
     * {@code trigger}), Trino and the API, and with {@code ordersPerMinute} above 0 MariaDB, Maxwell and the CDC
     * ingest, all on this machine under {@code workDir}. Production starts with them; {@code warmUpSeconds} in,
     * {@code seconds} are measured (the first minutes after a start); production goes on until the ingests have run
     * under it for {@code runningMinutes}, and {@code seconds} more are measured. Prints the table of
     * docs/benchmarks.md, a row per phase, and returns both phases' figures.
     */
    public static Phases report(LakehouseConfig base, Tables tables, Path workDir, int seconds, int warmUpSeconds,
                                int runningMinutes, int devicesPerSecond, int backgroundPerSecond, int ordersPerMinute,
                                String liveTrigger, String trigger) throws Exception {
        LakehouseConfig withTables = base.toBuilder().tableRoot(workDir.resolve("tables"))
                .checkpointRoot(workDir.resolve("checkpoints")).runDir(workDir.resolve("run")).trigger(trigger)
                .set(ConfigKeys.INGEST_LIVE_TRIGGER, liveTrigger)
                .set("spark.sql.streaming.numRecentProgressUpdates", "10000").build(); // every batch of the run
        boolean withShop = ordersPerMinute > 0;
        try (LiveIngest ingest = LiveIngest.start(withTables, tables, workDir.resolve("run"), "bench-freshness",
                backgroundPerSecond, withShop);
             ApiServer api = ApiServer.start(ingest.config(), tables, "127.0.0.1", 0);
             Connection shop = withShop ? LocalMariaDb.connect(ingest.config().sourceDb().port(),
                     ingest.config().sourceDb().database()) : null) {
            List<String> measured = withShop ? List.of(AppLogIngestJob.LIVE_QUERY_NAME, CdcIngestJob.QUERY_NAME)
                    : List.of(AppLogIngestJob.LIVE_QUERY_NAME);
            // devices and orders numbered above any the generators use, so each is new today; each phase's apart
            Production production = new Production(ingest.config(), api, Optional.ofNullable(shop), devicesPerSecond,
                    ordersPerMinute, new LoadClock());
            production.produce(10_000_000, Duration.ofSeconds(warmUpSeconds));
            Measured afterStart = production.measured(20_000_000, Duration.ofSeconds(seconds), ingest, measured);
            production.until(30_000_000, Duration.ofMinutes(runningMinutes));
            Measured running = production.measured(40_000_000, Duration.ofSeconds(seconds), ingest, measured);

            System.out.printf("| phase | devices | other messages/s | live trigger | archive trigger | DAU p50 ms | DAU p95 ms | DAU max ms"
                    + " | live micro-batch p50 / max ms | orders | GMV p50 ms | GMV p95 ms | GMV max ms"
                    + " | capture micro-batch p50 / max ms | slowest API answer ms | Trino queries/s |%n");
            System.out.printf("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|%n");
            for (Measured phase : List.of(afterStart, running)) {
                Result result = phase.result();
                System.out.printf("| %s | %d | %d | %s | %s | %d | %d | %d | %s | %d | %d | %d | %d | %s | %d | %.2f |%n",
                        phase.describe(), result.devices().millis().size(), backgroundPerSecond, liveTrigger, trigger,
                        result.devices().percentile(0.5), result.devices().percentile(0.95), result.devices().percentile(1.0),
                        phase.batches().get(AppLogIngestJob.LIVE_QUERY_NAME), result.orders().millis().size(),
                        result.orders().percentile(0.5), result.orders().percentile(0.95), result.orders().percentile(1.0),
                        phase.batches().getOrDefault(CdcIngestJob.QUERY_NAME, "-"), result.slowestAnswerMillis(),
                        phase.queriesPerSecond());
            }
            return new Phases(afterStart.result(), running.result());
        }
    }

    /** A measured phase: its figures, the measured queries' batch times over it, and the API's Trino queries a second. */
    private record Measured(Result result, long fromSeconds, long toSeconds, Map<String, String> batches,
                            double queriesPerSecond) {
        String describe() {
            return String.format("%d-%d s after the start", fromSeconds, toSeconds);
        }
    }

    /** The benchmark's load, phase after phase, against the running ingests and API. */
    private record Production(LakehouseConfig config, ApiServer api, Optional<Connection> shop, int devicesPerSecond,
                              int ordersPerMinute, LoadClock clock) {

        /** Production for {@code duration}, its events numbered from {@code firstNumber}, until the API counts them all. */
        Result produce(int firstNumber, Duration duration) throws Exception {
            return run(config.kafka().bootstrapServers(), config.kafka().appLogTopic(), api.uri(), config.timeZone(),
                    firstNumber, duration, devicesPerSecond, shop, firstNumber, ordersPerMinute, Duration.ofMinutes(2));
        }

        /** Production, unmeasured, until {@code sinceStart} has passed since it began; nothing if it has already. */
        void until(int firstNumber, Duration sinceStart) throws Exception {
            Duration left = clock.leftUntil(sinceStart);
            if (!left.isZero()) {
                produce(firstNumber, left);
            }
        }

        Measured measured(int firstNumber, Duration duration, LiveIngest ingest, List<String> queries) throws Exception {
            Map<String, Integer> batchesBefore = new HashMap<>();
            for (String name : queries) {
                batchesBefore.put(name, ingest.batchMillis(name).size());
            }
            long queriesBefore = api.queriesRun();
            long from = clock.secondsSinceStart();
            Result result = produce(firstNumber, duration);
            double queriesPerSecond = (api.queriesRun() - queriesBefore) / (double) duration.toSeconds();
            Map<String, String> batches = new HashMap<>();
            for (String name : queries) {
                batches.put(name, Percentiles.p50AndMax(ingest.batchMillis(name).stream().skip(batchesBefore.get(name)).toList()));
            }
            return new Measured(result, from, clock.secondsSinceStart(), batches, queriesPerSecond);
        }
    }
}
