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
     * `bench freshness`: a broker, the app-log ingest (its live query on {@code liveTrigger}, the archive on
     * {@code trigger}), Trino and the API, and with {@code ordersPerMinute} above 0 MariaDB, Maxwell and the CDC
     * ingest, all on this machine under {@code workDir}; a warm-up, then the measured run; prints the table of
     * docs/benchmarks.md, and returns the measured run's figures.
     */
    public static Result report(LakehouseConfig base, Tables tables, Path workDir, int seconds, int warmUpSeconds, int devicesPerSecond,
                              int backgroundPerSecond, int ordersPerMinute, String liveTrigger, String trigger) throws Exception {
        LakehouseConfig withTables = base.toBuilder().tableRoot(workDir.resolve("tables"))
                .checkpointRoot(workDir.resolve("checkpoints")).runDir(workDir.resolve("run")).trigger(trigger)
                .set(ConfigKeys.INGEST_LIVE_TRIGGER, liveTrigger)
                .set("spark.sql.streaming.numRecentProgressUpdates", "2000").build(); // every batch of the run
        boolean withShop = ordersPerMinute > 0;
        try (LiveIngest ingest = LiveIngest.start(withTables, tables, workDir.resolve("run"), "bench-freshness",
                backgroundPerSecond, withShop);
             ApiServer api = ApiServer.start(ingest.config(), tables, "127.0.0.1", 0);
             Connection shop = withShop ? LocalMariaDb.connect(ingest.config().sourceDb().port(),
                     ingest.config().sourceDb().database()) : null) {
            LakehouseConfig config = ingest.config();
            String bootstrap = config.kafka().bootstrapServers();
            Duration patience = Duration.ofMinutes(2);
            // devices and orders numbered above any the generators use, so each is new today; the warm-up's apart
            run(bootstrap, config.kafka().appLogTopic(), api.uri(), config.timeZone(), 10_000_000,
                    Duration.ofSeconds(warmUpSeconds), devicesPerSecond, Optional.ofNullable(shop), 10_000_000,
                    ordersPerMinute, patience);
            List<String> measured = withShop ? List.of(AppLogIngestJob.LIVE_QUERY_NAME, CdcIngestJob.QUERY_NAME)
                    : List.of(AppLogIngestJob.LIVE_QUERY_NAME);
            Map<String, Integer> warmUpBatches = new HashMap<>();
            for (String name : measured) {
                warmUpBatches.put(name, ingest.batchMillis(name).size());
            }
            long queriesBefore = api.queriesRun();
            Result result = run(bootstrap, config.kafka().appLogTopic(), api.uri(), config.timeZone(), 20_000_000,
                    Duration.ofSeconds(seconds), devicesPerSecond, Optional.ofNullable(shop), 20_000_000,
                    ordersPerMinute, patience);
            double queriesPerSecond = (api.queriesRun() - queriesBefore) / (double) seconds;
            Map<String, String> batches = new HashMap<>();
            for (String name : measured) {
                batches.put(name, Percentiles.p50AndMax(ingest.batchMillis(name).stream().skip(warmUpBatches.get(name)).toList()));
            }
            System.out.printf("| devices | other messages/s | live trigger | archive trigger | DAU p50 ms | DAU p95 ms | DAU max ms"
                    + " | live micro-batch p50 / max ms | orders | GMV p50 ms | GMV p95 ms | GMV max ms"
                    + " | capture micro-batch p50 / max ms | slowest API answer ms | Trino queries/s |%n");
            System.out.printf("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|%n");
            System.out.printf("| %d | %d | %s | %s | %d | %d | %d | %s | %d | %d | %d | %d | %s | %d | %.2f |%n",
                    result.devices().millis().size(), backgroundPerSecond, liveTrigger, trigger,
                    result.devices().percentile(0.5), result.devices().percentile(0.95), result.devices().percentile(1.0),
                    batches.get(AppLogIngestJob.LIVE_QUERY_NAME), result.orders().millis().size(),
                    result.orders().percentile(0.5), result.orders().percentile(0.95), result.orders().percentile(1.0),
                    batches.getOrDefault(CdcIngestJob.QUERY_NAME, "-"), result.slowestAnswerMillis(), queriesPerSecond);
            return result;
        }
    }
}
