package com.example.lakehouse.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import com.example.lakehouse.config.ConfigException;
import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.config.ProjectHome;
import com.example.lakehouse.process.ProcessSupervisor;
import com.example.lakehouse.trino.TrinoClient;
import com.example.lakehouse.trino.TrinoTables;

/**
 * A real Trino server (io.trino:trino-server from Maven Central) on 127.0.0.1 with one catalog,
 * {@code lakehouse}: the delta_lake connector over the table root (file: or s3a://), with a file
 * metastore under the run directory. Trino needs a newer Java than the project: the JDK of
 * {@code trino.java-home}. The server is downloaded and unpacked into tools/trino/target the first
 * time, keeping only the Delta plugin.
 */
public final class LocalTrino extends LocalServer {
    public static final String NAME = "trino";
    /** Keep in step with trino-jdbc in pom.xml. */
    public static final String VERSION = "476";
    private static final Path INSTALL_DIR = ProjectHome.resolve("tools/trino/target");
    private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration INSTALL_STEP_TIMEOUT = Duration.ofMinutes(15);


    public LocalTrino(Path runDir) {
        super(runDir, NAME);
    }

    /** Installs Trino if needed, starts it, waits until it answers queries, and registers every table. */
    @Override
    public String start(LakehouseConfig config) {
        Path javaHome = config.trino().javaHome();
        if (!Files.isExecutable(javaHome.resolve("bin").resolve("java"))) {
            throw new ConfigException("trino.java-home '" + javaHome + "' has no bin/java; Trino " + VERSION
                    + " needs Java 24 or newer (e.g. /usr/lib/jvm/temurin-25-jdk-amd64)");
        }
        Path server = install();
        writeConfig(config);
        ProcessHandle process = supervisor.start(NAME, List.of(javaHome.resolve("bin").resolve("java").toString(),
                "-Xmx1g", "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError", "-Djdk.attach.allowAttachSelf=true",
                "--enable-native-access=ALL-UNNAMED",
                "-Dconfig=" + home.resolve("etc").resolve("config.properties"),
                "-Dcatalog.config-dir=" + home.resolve("etc").resolve("catalog"),
                "-Dplugin.dir=" + server.resolve("plugin"),
                "-cp", server.resolve("lib") + "/*",
                "io.trino.server.TrinoServer"));
        // the server refuses connections at first, then answers "server is starting" for a while
        awaitReady(process, STARTUP_TIMEOUT, Duration.ofSeconds(1), () -> {
            try (Connection connection = TrinoClient.connect(config); Statement statement = connection.createStatement()) {
                statement.executeQuery("SELECT 1").close();
                return true;
            } catch (SQLException notYet) {
                return false;
            }
        });
        int registered = TrinoTables.registerAll(config);
        return config.trino().host() + ":" + config.trino().port() + ", " + registered + " tables newly registered";
    }

    private void writeConfig(LakehouseConfig config) {
        if (!isLocalHost(config.trino().host())) {
            throw new ConfigException("the local Trino runs on 127.0.0.1, but trino.host is '" + config.trino().host() + "'");
        }
        String storage = storageProperties(config);
        try {
            Files.createDirectories(home.resolve("etc").resolve("catalog"));
            Files.writeString(home.resolve("etc").resolve("config.properties"), String.join("\n",
                    "coordinator=true",
                    "node-scheduler.include-coordinator=true",
                    "http-server.http.port=" + config.trino().port(),
                    "discovery.uri=http://127.0.0.1:" + config.trino().port(),
                    "node.environment=lakehouse",
                    "node.id=local",
                    // the coordinator schedules work on the address the node announces; left to itself Trino
                    // announces the machine's first network address, which a sandbox may not route
                    "node.internal-address=127.0.0.1",
                    "node.bind-ip=127.0.0.1",
                    // with static catalogs the coordinator learns which catalogs a node serves from the node's
                    // announcement, seconds after the server answers; until then every table query fails with
                    // "No nodes available to run query". Dynamic management assumes each node has every
                    // catalog, which is true of one node.
                    "catalog.management=dynamic",
                    "query.max-memory=512MB",
                    "query.max-memory-per-node=512MB",
                    ""));
            Files.writeString(home.resolve("etc").resolve("catalog").resolve(config.trino().catalog() + ".properties"),
                    String.join("\n",
                            "connector.name=delta_lake",
                            "hive.metastore=file",
                            "hive.metastore.catalog.dir=" + home.resolve("metastore").toUri(),
                            "delta.register-table-procedure.enabled=true",
                            storage));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write Trino's configuration under " + home, e);
        }
    }

    /** How the catalog reads the table root: Hadoop's local file system, or Trino's own S3 client. */
    private static String storageProperties(LakehouseConfig config) {
        String scheme = URI.create(config.storage().tableRoot()).getScheme();
        // the Hadoop file system reads file: URIs, the scheme Spark writes local table locations with, and
        // the metastore folder
        String localFiles = "fs.hadoop.enabled=true\n";
        if ("file".equals(scheme)) {
            return localFiles;
        }
        if (!"s3a".equals(scheme)) {
            throw new ConfigException("the local Trino reads file: and s3a:// table roots; lakehouse.table-root is " + config.storage().tableRoot());
        }
        // the native S3 file system reads the s3a:// locations Spark writes, with the same s3.* settings
        StringBuilder properties = new StringBuilder(localFiles).append("fs.native-s3.enabled=true\n")
                .append("s3.path-style-access=").append(config.s3().pathStyle()).append('\n');
        config.s3().region().ifPresent(region -> properties.append("s3.region=").append(region).append('\n'));
        config.s3().endpoint().ifPresent(endpoint -> properties.append("s3.endpoint=").append(endpoint).append('\n'));
        config.s3().keys().ifPresent(keys -> properties.append("s3.aws-access-key=").append(keys.getKey()).append('\n')
                .append("s3.aws-secret-key=").append(keys.getValue()).append('\n'));
        return properties.toString();
    }

    /** The unpacked server; downloaded from Maven Central the first time. */
    static Path install() {
        Path server = INSTALL_DIR.resolve("trino-server-" + VERSION).toAbsolutePath();
        if (Files.isDirectory(server.resolve("plugin").resolve("delta-lake"))) {
            return server;
        }
        try {
            Files.createDirectories(INSTALL_DIR);
            Path log = INSTALL_DIR.resolve("install.log");
            ProcessSupervisor.downloadArtifact("io.trino:trino-server:" + VERSION + ":tar.gz", INSTALL_DIR, log, INSTALL_STEP_TIMEOUT);
            Path archive = INSTALL_DIR.resolve("trino-server-" + VERSION + ".tar.gz");
            // the archive hard-links jars shared between plugins, so it is unpacked whole, then trimmed
            ProcessSupervisor.runToCompletion(List.of("tar", "xzf", archive.toString(), "-C", INSTALL_DIR.toString()),
                    log, INSTALL_STEP_TIMEOUT);
            Files.delete(archive);
            try (Stream<Path> plugins = Files.list(server.resolve("plugin"))) {
                for (Path plugin : plugins.filter(path -> !path.getFileName().toString().equals("delta-lake")).toList()) {
                    ProcessSupervisor.runToCompletion(List.of("rm", "-rf", plugin.toString()), log, INSTALL_STEP_TIMEOUT);
                }
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install Trino into " + INSTALL_DIR.toAbsolutePath(), e);
        }
    }
}
