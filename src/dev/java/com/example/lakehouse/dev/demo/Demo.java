package com.example.lakehouse.dev.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.Trigger;

import com.example.lakehouse.config.ConfigException;
import com.example.lakehouse.config.ConfigKeys;
import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.dev.generate.AppLogGenerator;
import com.example.lakehouse.dev.generate.GeneratedMessage;
import com.example.lakehouse.dev.generate.KafkaPublisher;
import com.example.lakehouse.dev.generate.OrderGenerator;
import com.example.lakehouse.dev.stack.LocalMariaDb;
import com.example.lakehouse.dev.stack.LocalMaxwell;
import com.example.lakehouse.dev.stack.LocalStack;
import com.example.lakehouse.job.AppLogIngestJob;
import com.example.lakehouse.job.CdcIngestJob;
import com.example.lakehouse.job.SparkSessions;
import com.example.lakehouse.job.SqlJob;
import com.example.lakehouse.job.StreamingJobs;
import com.example.lakehouse.kafka.KafkaTopics;
import com.example.lakehouse.serve.ApiServer;
import com.example.lakehouse.table.Tables;

/**
 * Both paths on this machine, into the configured table root: generated app logs through a local broker,
 * the ingest and the SQL jobs to DAU; then a generated shop in a local MariaDB, Maxwell, the CDC ingest and
 * the order jobs to GMV; then today's figures through Trino and the query API. Every step is printed.
 */
public final class Demo {
    private static final String MARKER = ".lakehouse-demo";

    private final LakehouseConfig userConfig;
    private final Tables tables;

    /** The demo of {@code tables}, with the user's configuration. */
    public Demo(LakehouseConfig userConfig, Tables tables) {
        this.userConfig = userConfig;
        this.tables = tables;
    }

    /** Runs the demo: the app-log path over {@code logs}, then the order path over {@code shop} if given. */
    public void run(AppLogGenerator.Settings logs, Optional<OrderGenerator.Settings> shop) throws Exception {
        // the configured table root, so that every other command finds the demo's tables without flags
        empty(localRoot(ConfigKeys.TABLE_ROOT, userConfig.storage().tableRoot()));
        empty(localRoot(ConfigKeys.CHECKPOINT_ROOT, userConfig.storage().checkpointRoot()));
        // the demo's own servers, apart from any the user runs from the same run directory, fresh each time;
        // its streams' checkpoints stay with its broker: they name offsets of topics only that broker had,
        // and the user's own ingest starts from the configured (empty) checkpoint root on the user's broker
        Path serversDir = userConfig.storage().runDir().resolve("demo");
        empty(serversDir);
        LakehouseConfig base = userConfig.toBuilder().checkpointRoot(serversDir.resolve("checkpoints")).build();
        step("starting a local Kafka broker (KRaft)");
        try (LocalStack stack = new LocalStack(serversDir, base).startKafka()) {
            SparkSession spark = runAppLogPath(stack.config(), logs);
            boolean ordersRan = false;
            if (shop.isEmpty()) {
                step("order path skipped (--skip-orders)");
            } else if (!LocalMariaDb.isInstalled()) {
                step("order path skipped: MariaDB server is not installed (apt-get install mariadb-server)");
            } else {
                runOrderPath(stack, spark, shop.get());
                ordersRan = true;
            }
            // today's DAU, new devices and GMV; without the order path, today's devices by hour
            showLive(stack, ordersRan ? "realtime-total" : "realtime-hour?id=dau");
            step("done; tables are under " + userConfig.storage().tableRoot() + ". Next, query them:");
            System.out.println(nextCommands(userConfig.serve().port()));
            step("stopping the demo's servers");
        }
    }

    private SparkSession runAppLogPath(LakehouseConfig config, AppLogGenerator.Settings settings) throws Exception {
        step("generating app logs for " + settings.devices() + " devices from " + settings.startDate()
                + (settings.until().equals(AppLogGenerator.NO_CUTOFF) ? " for " + settings.days() + " days" : " until now"));
        List<GeneratedMessage> messages = AppLogGenerator.generate(settings);
        KafkaTopics.ensure(config.kafka().bootstrapServers(), config.kafka().appLogTopic(), AppLogIngestJob.TOPIC_PARTITIONS);
        KafkaPublisher.publish(config.kafka().bootstrapServers(), config.kafka().appLogTopic(), messages);
        step(KafkaPublisher.describe(messages, config.kafka().appLogTopic()));

        step("starting Spark and ingesting the topic into Delta (keyed on the message hash: a duplicate is stored once)");
        SparkSession spark = SparkSessions.create(config, "demo", tables.all());
        StreamingJobs.logProgress(spark, config);
        AppLogIngestJob.intoDelta(spark, config, tables).runQueries(spark, config, Trigger.AvailableNow());
        step("ods_app_log holds " + spark.table(tables.odsAppLog().name()).count() + " distinct messages, ods_rejected "
                + spark.table(tables.odsRejected().name()).count() + " malformed ones");

        LocalDate last = lastClosedDay(settings.startDate(), settings.days(), config);
        step("running the DAU SQL jobs for " + settings.startDate() + " to " + last);
        SqlJob.runRange(spark, config, tables, tables.builtBySql(Tables.DAU), settings.startDate(), last);
        step("daily active devices");
        spark.table(tables.adsDauDaily().name()).orderBy("dt").show(100, false);
        step("hourly, " + last + " against the day before");
        spark.table(tables.adsDauHourly().name()).where("dt = DATE'" + last + "'").orderBy("hour").drop("dt").show(24, false);
        return spark;
    }

    private void runOrderPath(LocalStack stack, SparkSession spark, OrderGenerator.Settings shop) throws Exception {
        stack.startSourceDatabase();
        LakehouseConfig config = stack.config();
        int dbPort = config.sourceDb().port();
        String database = config.sourceDb().database();
        step("started a local MariaDB (row binlog) on port " + dbPort + "; writing the shop's catalogue and users");
        try (Connection db = LocalMariaDb.connect(dbPort, database)) {
            OrderGenerator.seedCatalogue(db, shop);
            step("starting Maxwell and bootstrapping the catalogue and users (they were written before Maxwell started)");
            LocalMaxwell maxwell = stack.startMaxwell();
            maxwell.bootstrap(dbPort, database, LocalMaxwell.CATALOGUE_TABLES, Duration.ofMinutes(5));
            step("generating orders: " + OrderGenerator.generateOrders(db, shop));
            maxwell.awaitCaughtUp(dbPort, Duration.ofMinutes(5));

            step("capturing the maxwell topic into ods_maxwell, then applying it to the table mirrors (newest change wins)");
            CdcIngestJob.intoDelta(spark, config, tables).runQueries(spark, config, Trigger.AvailableNow());
            LocalDate last = lastClosedDay(shop.startDate(), shop.days(), config);
            step("running the order SQL jobs (dimensions, then " + shop.startDate() + " to " + last + ")");
            SqlJob.runRange(spark, config, tables, tables.builtBySql(Tables.ORDERS), shop.startDate(), last);

            step("orders and GMV per day in the lakehouse (ads_order_daily)");
            spark.table(tables.adsOrderDaily().name()).select("dt", "order_count", "ordering_user_count",
                    "first_order_user_count", "gmv").orderBy("dt").show(100, false);
            step("the same figures queried from the source database");
            printSourceGmv(db);
            step("top trademarks by GMV over the period (ads_trademark_gmv)");
            spark.sql("SELECT tm_name, sum(order_count) AS orders, sum(sku_num) AS items, sum(gmv) AS gmv"
                    + " FROM ads_trademark_gmv GROUP BY tm_name ORDER BY gmv DESC LIMIT 5").show(false);
        }
    }

    /** The nightly jobs build closed days; today, still open, is left to the live tables. */
    private static LocalDate lastClosedDay(LocalDate first, int days, LakehouseConfig config) {
        LocalDate last = first.plusDays(days - 1L);
        LocalDate yesterday = latestClosedDay(config);
        return last.isAfter(yesterday) ? yesterday : last;
    }

    /** The latest day the nightly jobs build: yesterday in the configured time zone. */
    public static LocalDate latestClosedDay(LakehouseConfig config) {
        return LocalDate.now(config.timeZone()).minusDays(1);
    }

    /**
     * Today's figures as the query API publishes them: a Trino of the demo's own and the API server in
     * this process; `trino start` and `serve` run the same for the user.
     */
    private void showLive(LocalStack stack, String request) throws Exception {
        Path javaHome = stack.config().trino().javaHome();
        if (!Files.isExecutable(javaHome.resolve("bin/java"))) {
            step("live figures skipped: Trino needs the JDK of " + ConfigKeys.TRINO_JAVA_HOME + " (" + javaHome + ")");
            return;
        }
        step("today, live: starting Trino and the query API (lakehouse serve) on the tables the streams keep current");
        stack.startTrino();
        try (ApiServer api = ApiServer.start(stack.config(), tables, "127.0.0.1", 0)) {
            URI today = api.uri().resolve(request);
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(today).build(),
                    HttpResponse.BodyHandlers.ofString());
            step("GET /" + request + ": " + answer.body());
        }
    }

    private static void printSourceGmv(Connection db) throws SQLException {
        try (Statement statement = db.createStatement(); ResultSet days = statement.executeQuery(
                "SELECT DATE(create_time), count(*), sum(total_amount) FROM order_info GROUP BY 1 ORDER BY 1")) {
            while (days.next()) {
                System.out.printf("%s  orders %d  gmv %s%n", days.getString(1), days.getLong(2), days.getBigDecimal(3));
            }
        }
    }

    /** What a user runs next on the demo's tables; each finds them with no extra flags. */
    private static String nextCommands(int port) {
        return String.join("\n",
                "  bin/lakehouse trino start",
                "  bin/lakehouse query \"SELECT dt, dau FROM ads_dau_daily ORDER BY dt\"",
                "  bin/lakehouse query \"SELECT dt, order_count, gmv FROM ads_order_daily ORDER BY dt\"",
                "  bin/lakehouse dashboard",
                "  bin/lakehouse serve        # then open http://127.0.0.1:" + port + "/ for the live page",
                "  bin/lakehouse trino stop");
    }

    /** A local folder for a root; the demo does not write to an object store. */
    public static Path localRoot(String key, String root) {
        if (root.contains("://") && !root.startsWith("file:")) {
            throw new ConfigException(key + " is " + root + ": the demo writes local folders; run it without the s3 settings");
        }
        return root.startsWith("file:") ? Path.of(URI.create(root)) : Path.of(root);
    }

    /** Empties a root, refusing a non-empty folder that an earlier demo did not make. */
    private static void empty(Path root) throws IOException {
        if (Files.exists(root)) {
            boolean empty;
            try (Stream<Path> entries = Files.list(root)) {
                empty = entries.findAny().isEmpty();
            }
            if (!empty && !Files.exists(root.resolve(MARKER))) {
                throw new ConfigException(root + " holds data the demo did not make; point the demo at other roots"
                        + " with --config (lakehouse.table-root, lakehouse.checkpoint-root)");
            }
            try (Stream<Path> paths = Files.walk(root)) {
                paths.sorted(Comparator.reverseOrder()).forEach(Demo::delete);
            }
        }
        Files.createDirectories(root);
        Files.createFile(root.resolve(MARKER));
    }

    private static void delete(Path path) {
        try {
            Files.delete(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void step(String message) {
        System.out.println("==> " + message);
    }
}
