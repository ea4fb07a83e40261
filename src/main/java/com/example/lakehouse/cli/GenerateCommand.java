package com.example.lakehouse.cli;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

import com.example.lakehouse.config.ConfigException;
import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.generate.AppLogGenerator;
import com.example.lakehouse.generate.GeneratedMessage;
import com.example.lakehouse.generate.OrderGenerator;
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
        List<GeneratedMessage> messages = AppLogGenerator.generate(options.settings(config.timeZone()));
        KafkaTopics.ensure(config.kafkaBootstrapServers(), config.appLogTopic(), 2);
        KafkaTopics.publish(config.kafkaBootstrapServers(), config.appLogTopic(), messages);
        System.out.println(describe(messages, config.appLogTopic()));
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
        try (Connection db = DriverManager.getConnection(config.sourceJdbcUrl(), config.sourceDbUser(), config.sourceDbPassword())) {
            System.out.println("wrote " + OrderGenerator.generateOrders(db, options.settings(first, days))
                    + " to " + config.sourceJdbcUrl());
        } catch (SQLNonTransientConnectionException e) {
            throw new ConfigException("cannot connect to " + config.sourceJdbcUrl() + ": " + e.getMessage());
        }
        return 0;
    }

    static String describe(List<GeneratedMessage> messages, String topic) {
        long malformed = messages.stream().filter(message -> !message.valid()).count();
        long distinct = messages.stream().map(message -> new String(message.value(), StandardCharsets.ISO_8859_1)).distinct().count();
        return "produced " + messages.size() + " messages to " + topic + " (" + distinct + " distinct, "
                + malformed + " malformed, " + (messages.size() - distinct) + " resent duplicates)";
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
            try {
                return new AppLogGenerator.Settings(devices, days, first, zone, seed, duplicateRate, lateRate, malformedRate);
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

        OrderGenerator.Settings settings(LocalDate first, int dayCount) {
            try {
                return new OrderGenerator.Settings(users, dayCount, ordersPerDay, first, seed);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(e.getMessage());
            }
        }
    }
}
