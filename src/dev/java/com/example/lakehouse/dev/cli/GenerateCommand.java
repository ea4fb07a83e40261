package com.example.lakehouse.dev.cli;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

import com.example.lakehouse.cli.LakehouseCli;
import com.example.lakehouse.config.ConfigException;
import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.dev.generate.AppLogGenerator;
import com.example.lakehouse.dev.generate.GeneratedMessage;
import com.example.lakehouse.dev.generate.KafkaPublisher;
import com.example.lakehouse.dev.generate.OrderGenerator;
import com.example.lakehouse.job.AppLogIngestJob;
import com.example.lakehouse.kafka.KafkaTopics;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "generate", description = "Produce generated test data into Kafka.")
final class GenerateCommand {
    @ParentCommand
    LakehouseCli cli;

    @Command(name = "logs", description = "Produce gmall app logs (with retries, late and malformed messages) to the app-log topic.")
    int logs(@Mixin LogGenerationOptions options) {
        LakehouseConfig config = cli.config();
        return publish(config, AppLogGenerator.generate(options.settings(config.timeZone())));
    }

    @Command(name = "opening", description = "Produce one start log, timed now, from each of some devices: devices"
            + " opening the app this moment, for watching the live figures move; --at dates them earlier, as a phone"
            + " that was offline sends its buffer late.")
    int opening(@Option(names = "--devices", defaultValue = "10", description = "devices (default: ${DEFAULT-VALUE})") int devices,
                @Option(names = "--first-device", defaultValue = "100000",
                        description = "number of the first device, mid_<n> (default: ${DEFAULT-VALUE})") int firstDevice,
                @Option(names = "--at", description = "event time, yyyy-MM-ddTHH:mm in lakehouse.time-zone (default: now)")
                LocalDateTime at,
                @Option(names = "--seed", defaultValue = "42", description = "random seed (default: ${DEFAULT-VALUE})") long seed) {
        if (devices < 1 || firstDevice < 0) {
            throw new ConfigException("--devices must be at least 1 and --first-device not negative");
        }
        LakehouseConfig config = cli.config();
        Instant time = at == null ? Instant.now() : at.atZone(config.timeZone()).toInstant();
        return publish(config, AppLogGenerator.opening(firstDevice, devices, time, config.timeZone(), seed));
    }

    private static int publish(LakehouseConfig config, List<GeneratedMessage> messages) {
        KafkaTopics.ensure(config.kafka().bootstrapServers(), config.kafka().appLogTopic(), AppLogIngestJob.TOPIC_PARTITIONS);
        KafkaPublisher.publish(config.kafka().bootstrapServers(), config.kafka().appLogTopic(), messages);
        System.out.println(KafkaPublisher.describe(messages, config.kafka().appLogTopic()));
        return 0;
    }

    @Command(name = "orders", description = "Write users, the catalogue and orders into the source database, then keep"
            + " changing them (payments, profile edits, price changes, deletes).")
    int orders(@Mixin OrderGenerationOptions options,
               @Option(names = "--days", defaultValue = "3", description = "days of orders (default: ${DEFAULT-VALUE})") int days,
               @Option(names = "--start-date", description = "first day of orders (default: days before today)") LocalDate startDate)
            throws SQLException {
        LakehouseConfig config = cli.config();
        LocalDate first = startDate != null ? startDate : LocalDate.now(config.timeZone()).minusDays(days);
        try (Connection db = DriverManager.getConnection(config.sourceDb().jdbcUrl(), config.sourceDb().user(), config.sourceDb().password())) {
            System.out.println("wrote " + OrderGenerator.generateOrders(db, options.settings(first, days))
                    + " to " + config.sourceDb().jdbcUrl());
        } catch (SQLNonTransientConnectionException e) {
            throw new ConfigException("cannot connect to " + config.sourceDb().jdbcUrl() + ": " + e.getMessage());
        }
        return 0;
    }

    /** Generator settings shared by `generate logs` and `demo`. */
    static final class LogGenerationOptions {
        @Option(names = "--devices", defaultValue = "300", description = "devices (default: ${DEFAULT-VALUE})")
        int devices;
        @Option(names = "--days", defaultValue = "3", description = "days of logs (default: ${DEFAULT-VALUE})")
        int days;
        @Option(names = "--start-date", description = "first day (default: days before today)")
        LocalDate startDate;
        @Option(names = "--seed", defaultValue = "42", description = "random seed (default: ${DEFAULT-VALUE})")
        long seed;
        @Option(names = "--duplicate-rate", defaultValue = "0.3", description = "share resent as producer retries (default: ${DEFAULT-VALUE})")
        double duplicateRate;
        @Option(names = "--late-rate", defaultValue = "0.05", description = "share sent after their day ended (default: ${DEFAULT-VALUE})")
        double lateRate;
        @Option(names = "--malformed-rate", defaultValue = "0.01", description = "malformed messages per valid one (default: ${DEFAULT-VALUE})")
        double malformedRate;

        AppLogGenerator.Settings settings(ZoneId zone) {
            LocalDate first = startDate != null ? startDate : LocalDate.now(zone).minusDays(days);
            return settings(zone, first, days, AppLogGenerator.NO_CUTOFF);
        }

        /** Without --start-date: the days before today and today so far, as a live system would have seen. */
        AppLogGenerator.Settings settingsUntilNow(ZoneId zone, Instant now) {
            return startDate != null ? settings(zone) : settings(zone, LocalDate.ofInstant(now, zone).minusDays(days), days + 1, now);
        }

        private AppLogGenerator.Settings settings(ZoneId zone, LocalDate first, int dayCount, Instant until) {
            try {
                return new AppLogGenerator.Settings(devices, dayCount, first, zone, seed, duplicateRate, lateRate,
                        malformedRate, until);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(e.getMessage());
            }
        }
    }

    /** Shop settings shared by `generate orders` and `demo` (the demo's order days are its log days). */
    static final class OrderGenerationOptions {
        @Option(names = "--users", defaultValue = "60", description = "users in the shop at the start (default: ${DEFAULT-VALUE})")
        int users;
        @Option(names = "--orders-per-day", defaultValue = "40", description = "orders per day (default: ${DEFAULT-VALUE})")
        int ordersPerDay;
        @Option(names = "--order-seed", defaultValue = "42", description = "random seed (default: ${DEFAULT-VALUE})")
        long seed;

        /** The demo's order days are its log days; nothing later than {@code until}. */
        OrderGenerator.Settings settings(AppLogGenerator.Settings logDays) {
            return settings(logDays.startDate(), logDays.days(), logDays.until().equals(AppLogGenerator.NO_CUTOFF)
                    ? LocalDateTime.MAX : LocalDateTime.ofInstant(logDays.until(), logDays.zone()));
        }

        OrderGenerator.Settings settings(LocalDate first, int dayCount) {
            return settings(first, dayCount, LocalDateTime.MAX);
        }

        private OrderGenerator.Settings settings(LocalDate first, int dayCount, LocalDateTime until) {
            try {
                return new OrderGenerator.Settings(users, dayCount, ordersPerDay, first, seed, until);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(e.getMessage());
            }
        }
    }
}
