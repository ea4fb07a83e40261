package com.example.lakehouse.dev.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import com.example.lakehouse.config.ConfigException;
import com.example.lakehouse.config.ConfigKeys;
import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.process.ProcessSupervisor;

/**
 * A real MariaDB server (Debian's mariadb-server package) as a child process on 127.0.0.1, its data
 * under the run directory, set up the way Maxwell needs: row-based binlog with full row images. On its
 * first start it creates the source database with {@code sql/source/gmall.sql} and Maxwell's user.
 * For the demo and the tests; production points Maxwell at the shop's own database.
 */
public final class LocalMariaDb extends LocalServer {
    public static final String NAME = "mariadb";
    public static final String MAXWELL_USER = "maxwell";
    public static final String MAXWELL_PASSWORD = "maxwell";
    private static final String SOURCE_DDL = "sql/source/gmall.sql";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final List<Path> SERVER_DIRS = List.of(Path.of("/usr/sbin"), Path.of("/usr/bin"), Path.of("/usr/local/bin"));


    public LocalMariaDb(Path runDir) {
        super(runDir, NAME);
    }

    /** True when Debian's MariaDB server is installed on this machine. */
    public static boolean isInstalled() {
        return findServer().isPresent();
    }

    /** Starts the server on source.db.port with the source database; returns its address. */
    @Override
    public String start(LakehouseConfig config) {
        requireLocal(config);
        start(config.sourceDb().port(), config.sourceDb().database());
        return "127.0.0.1:" + config.sourceDb().port();
    }

    /** The local MariaDB and Maxwell serve only a source database on this machine. */
    static void requireLocal(LakehouseConfig config) {
        if (!isLocalHost(config.sourceDb().host())) {
            throw new ConfigException("the local MariaDB and Maxwell run on 127.0.0.1, but " + ConfigKeys.SOURCE_DB_HOST
                    + " is '" + config.sourceDb().host() + "'");
        }
    }

    /** Starts the server on {@code port}, waits until it accepts connections, and creates {@code database}. */
    public void start(int port, String database) {
        Path server = findServer().orElseThrow(() -> new ConfigException(
                "MariaDB server (mariadbd) is not installed; install it with 'apt-get install mariadb-server'"));
        Path dataDir = home.resolve("data");
        if (!Files.isDirectory(dataDir.resolve("mysql"))) {
            installSystemTables(server, dataDir);
        }
        ProcessHandle process = supervisor.start(NAME, List.of(server.toString(),
                "--no-defaults",
                "--user=" + System.getProperty("user.name"),
                "--datadir=" + dataDir,
                "--bind-address=127.0.0.1",
                "--port=" + port,
                "--socket=" + home.resolve("mariadb.sock"),
                "--pid-file=" + home.resolve("mariadbd.pid"),
                "--skip-name-resolve",
                "--innodb-buffer-pool-size=64M",
                // what Maxwell needs: a row-based binlog with the whole row before and after each change
                "--server-id=1",
                "--log-bin=" + dataDir.resolve("binlog"),
                "--binlog-format=ROW",
                "--binlog-row-image=FULL",
                // MariaDB's annotate events are not understood by Maxwell's binlog client
                "--binlog-annotate-row-events=OFF",
                // Maxwell 1.22 does not know the name utf8mb3 that MariaDB >= 10.6 reports for 'utf8'
                "--character-set-server=utf8mb4",
                "--collation-server=utf8mb4_unicode_ci",
                "--old-mode="));
        awaitReady(process, STARTUP_TIMEOUT, Duration.ofMillis(250), () -> {
            try (Connection ignored = connect(port, "")) {
                return true;
            } catch (SQLException notYet) {
                return false;
            }
        });
        createSourceDatabase(port, database);
    }

    /** A root connection (root has no password on the local server; it listens on 127.0.0.1 only). */
    public static Connection connect(int port, String database) throws SQLException {
        return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/" + database
                + "?user=root&allowMultiQueries=true");
    }

    private static Optional<Path> findServer() {
        Stream<Path> pathDirs = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .filter(dir -> !dir.isBlank()).map(Path::of);
        return Stream.concat(pathDirs, SERVER_DIRS.stream())
                .map(dir -> dir.resolve("mariadbd"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private void installSystemTables(Path server, Path dataDir) {
        Path installer = server.resolveSibling("mariadb-install-db");
        if (!Files.isExecutable(installer)) {
            installer = Path.of("/usr/bin/mariadb-install-db");
        }
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dataDir, e);
        }
        ProcessSupervisor.runToCompletion(List.of(installer.toString(), "--no-defaults",
                "--user=" + System.getProperty("user.name"), "--datadir=" + dataDir,
                "--auth-root-authentication-method=normal", "--skip-test-db"), logFile(), Duration.ofSeconds(120));
    }

    /** The source schema and Maxwell's user; every statement is safe to repeat. */
    private static void createSourceDatabase(int port, String database) {
        try (Connection connection = connect(port, ""); Statement statement = connection.createStatement()) {
            // a fresh install's anonymous ''@localhost would shadow maxwell@% should host names be resolved
            statement.execute("DROP USER IF EXISTS ''@'localhost'");
            statement.execute("CREATE USER IF NOT EXISTS '" + MAXWELL_USER + "'@'%' IDENTIFIED BY '" + MAXWELL_PASSWORD + "'");
            statement.execute("GRANT ALL ON maxwell.* TO '" + MAXWELL_USER + "'@'%'");
            statement.execute("GRANT SELECT, REPLICATION CLIENT, REPLICATION SLAVE ON *.* TO '" + MAXWELL_USER + "'@'%'");
            statement.execute("CREATE DATABASE IF NOT EXISTS `" + database + "` DEFAULT CHARACTER SET utf8mb4");
            statement.execute("USE `" + database + "`");
            statement.execute(sourceDdl());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the source database: " + e.getMessage(), e);
        }
    }

    private static String sourceDdl() {
        try (InputStream in = LocalMariaDb.class.getClassLoader().getResourceAsStream(SOURCE_DDL)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks " + SOURCE_DDL);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + SOURCE_DDL, e);
        }
    }
}
