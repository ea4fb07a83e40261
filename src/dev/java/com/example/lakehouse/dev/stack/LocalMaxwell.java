package com.example.lakehouse.dev.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.example.lakehouse.config.ConfigException;
import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.config.ProjectHome;
import com.example.lakehouse.job.CdcIngestJob;
import com.example.lakehouse.kafka.KafkaTopics;
import com.example.lakehouse.process.ProcessSupervisor;

/**
 * Real Maxwell (com.zendesk:maxwell from Maven Central) reading the local MariaDB's binlog and
 * producing to Kafka, as a child JVM with its own classpath (tools/maxwell), so its old libraries never
 * meet Spark's. The classpath is resolved with Maven on first use. Maxwell keeps its position in the
 * {@code maxwell} database, so a restart resumes where it stopped (and may resend a few changes, which
 * the idempotent ingest absorbs).
 */
public final class LocalMaxwell extends LocalServer {
    public static final String NAME = "maxwell";
    /**
     * The shop's catalogue and users: written before Maxwell first starts, so they reach Kafka only by a
     * bootstrap, which `maxwell bootstrap` sends by default.
     */
    public static final List<String> CATALOGUE_TABLES = List.of("base_region", "base_province", "base_trademark",
            "base_category1", "base_category2", "base_category3", "spu_info", "sku_info", "user_info");
    private static final Path RUNTIME = ProjectHome.resolve("tools/maxwell");
    private static final Path CLASSPATH_FILE = RUNTIME.resolve("target").resolve("classpath.txt");
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);

    private final Path runDir;

    public LocalMaxwell(Path runDir) {
        super(runDir, NAME);
        this.runDir = runDir;
    }

    /**
     * Starts Maxwell on the local MariaDB of source.db.port, capturing the source database into the maxwell
     * topic (created if missing); returns what it connects.
     */
    @Override
    public String start(LakehouseConfig config) {
        LocalMariaDb.requireLocal(config);
        String topic = config.kafka().maxwellTopic();
        KafkaTopics.ensure(config.kafka().bootstrapServers(), topic, CdcIngestJob.TOPIC_PARTITIONS);
        start(config.sourceDb().port(), config.sourceDb().database(), config.kafka().bootstrapServers(), topic);
        return "127.0.0.1:" + config.sourceDb().port() + " -> " + config.kafka().bootstrapServers() + " topic " + topic;
    }

    /**
     * Starts Maxwell on the MariaDB at 127.0.0.1:{@code dbPort}, capturing {@code database} into
     * {@code topic}, keyed and partitioned by primary key; waits until it has stored its first position.
     */
    public void start(int dbPort, String database, String bootstrapServers, String topic) {
        Path properties = runDir.resolve(NAME + ".properties");
        try {
            Files.createDirectories(runDir);
            Files.writeString(properties, String.join("\n",
                    "host=127.0.0.1",
                    "port=" + dbPort,
                    "user=" + LocalMariaDb.MAXWELL_USER,
                    "password=" + LocalMariaDb.MAXWELL_PASSWORD,
                    "producer=kafka",
                    "kafka.bootstrap.servers=" + bootstrapServers,
                    "kafka_topic=" + topic,
                    // a change is acknowledged (and Maxwell's position moves past it) only once Kafka has it
                    "kafka.acks=all",
                    "producer_partition_by=primary_key",
                    "filter=exclude: *.*, include: " + database + ".*",
                    ""));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + properties, e);
        }
        ProcessHandle process = supervisor.start(NAME, List.of(ProcessSupervisor.javaExecutable(), "-Xmx256m", "-cp", classpath(),
                "com.zendesk.maxwell.Maxwell", "--config=" + properties));
        // Maxwell creates its own database, then stores its first binlog position
        awaitReady(process, STARTUP_TIMEOUT, Duration.ofMillis(500), () -> {
            try (Connection connection = maxwellDb(dbPort); Statement statement = connection.createStatement();
                 ResultSet positions = statement.executeQuery("SELECT 1 FROM positions WHERE client_id = 'maxwell'")) {
                return positions.next();
            } catch (SQLException notYet) {
                return false;
            }
        });
    }

    /**
     * Asks Maxwell to bootstrap {@code tables} (send every existing row as bootstrap-insert, the way to
     * load rows written before Maxwell started) and waits until all are complete.
     */
    public void bootstrap(int dbPort, String database, List<String> tables, Duration timeout) {
        try (Connection connection = maxwellDb(dbPort)) {
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO bootstrap (database_name, table_name, client_id) VALUES (?, ?, 'maxwell')",
                    Statement.RETURN_GENERATED_KEYS)) {
                for (String table : tables) {
                    insert.setString(1, database);
                    insert.setString(2, table);
                    insert.executeUpdate();
                    try (ResultSet keys = insert.getGeneratedKeys()) {
                        keys.next();
                        ids.add(keys.getLong(1));
                    }
                }
            }
            String pending = "SELECT count(*) FROM bootstrap WHERE is_complete = 0 AND id IN ("
                    + String.join(",", ids.stream().map(String::valueOf).toList()) + ")";
            awaitTrue(connection, pending + " HAVING count(*) = 0", timeout, "bootstrap of " + tables);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot bootstrap " + tables + ": " + e.getMessage(), e);
        }
    }

    /**
     * Waits until Maxwell has produced (and Kafka acknowledged) every change written to the database
     * so far: its stored position reaches the binlog position the server reports now.
     */
    public void awaitCaughtUp(int dbPort, Duration timeout) {
        try (Connection connection = maxwellDb(dbPort); Statement statement = connection.createStatement();
             ResultSet master = statement.executeQuery("SHOW MASTER STATUS")) {
            master.next();
            String file = master.getString("File");
            long position = master.getLong("Position");
            awaitTrue(connection, "SELECT 1 FROM positions WHERE client_id = 'maxwell' AND (binlog_file > '" + file
                    + "' OR (binlog_file = '" + file + "' AND binlog_position >= " + position + "))",
                    timeout, "Maxwell to reach " + file + ":" + position);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read Maxwell's position: " + e.getMessage(), e);
        }
    }

    private void awaitTrue(Connection connection, String query, Duration timeout, String what) throws SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (running().isEmpty()) {
                throw new IllegalStateException("Maxwell is not running while waiting for " + what + "; see " + logFile());
            }
            try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(query)) {
                if (result.next()) {
                    return;
                }
            }
            sleep(Duration.ofMillis(500));
        }
        throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for " + what
                + "; see " + logFile());
    }

    private static Connection maxwellDb(int dbPort) throws SQLException {
        return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + dbPort + "/maxwell?user="
                + LocalMariaDb.MAXWELL_USER + "&password=" + LocalMariaDb.MAXWELL_PASSWORD);
    }

    /** Maxwell's classpath; resolved from Maven Central by tools/maxwell/pom.xml the first time. */
    private static String classpath() {
        Path pom = RUNTIME.resolve("pom.xml");
        if (!Files.isRegularFile(pom)) {
            throw new ConfigException("Maxwell's runtime " + pom.toAbsolutePath() + " is missing; run from the project folder");
        }
        try {
            if (!Files.isRegularFile(CLASSPATH_FILE)
                    || Files.getLastModifiedTime(CLASSPATH_FILE).compareTo(Files.getLastModifiedTime(pom)) < 0) {
                ProcessSupervisor.runToCompletion(List.of("mvn", "-q", "-f", pom.toString(), "package",
                        "dependency:build-classpath", "-Dmdep.outputFile=" + CLASSPATH_FILE.toAbsolutePath()),
                        RUNTIME.resolve("target").resolve("resolve.log"), Duration.ofMinutes(10));
            }
            return RUNTIME.resolve("target").resolve("classes").toAbsolutePath() + ":" + Files.readString(CLASSPATH_FILE).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + CLASSPATH_FILE, e);
        }
    }
}
