package com.example.lakehouse.dev.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

import com.example.lakehouse.config.ConfigException;
import com.example.lakehouse.config.ConfigKeys;
import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.process.ProcessSupervisor;

/**
 * A real single-node Apache Kafka broker in KRaft mode (broker and controller in one JVM), run from the
 * Kafka jars on this project's classpath as a child process on 127.0.0.1, with its data under the run
 * directory. For the demo and the tests; production points kafka.bootstrap.servers at its own cluster.
 */
public final class LocalKafkaBroker extends LocalServer {
    public static final String NAME = "kafka";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);


    public LocalKafkaBroker(Path runDir) {
        super(runDir, NAME);
    }

    /** Starts the broker on the 127.0.0.1 port of kafka.bootstrap.servers; returns the bootstrap address. */
    @Override
    public String start(LakehouseConfig config) {
        String bootstrap = config.kafka().bootstrapServers();
        if (!bootstrap.matches("(127\\.0\\.0\\.1|localhost):\\d+")) {
            throw new ConfigException("the local Kafka broker runs on 127.0.0.1, but " + ConfigKeys.KAFKA_BOOTSTRAP_SERVERS
                    + " is '" + bootstrap + "' (expected 127.0.0.1:PORT)");
        }
        return start(Integer.parseInt(bootstrap.substring(bootstrap.indexOf(':') + 1)));
    }

    /** Starts the broker on {@code port} (and a free controller port), waits until it serves requests. */
    public String start(int port) {
        String bootstrap = "127.0.0.1:" + port;
        Path properties = home.resolve("server.properties");
        try {
            Files.createDirectories(home);
            Files.writeString(properties, serverProperties(port, freePort()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + properties, e);
        }
        formatStorage(properties);
        ProcessHandle broker = supervisor.start(NAME, ProcessSupervisor.sameJvm("kafka.Kafka",
                List.of("-Xmx512m"), List.of(properties.toString())));
        awaitReady(bootstrap, broker);
        return bootstrap;
    }

    private String serverProperties(int port, int controllerPort) {
        return String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + home.resolve("data"),
                "num.partitions=2",
                "auto.create.topics.enable=false",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "");
    }

    /**
     * Kafka's own `kafka-storage format`; a directory formatted before is kept as is. The cluster id is
     * made once and kept beside the data, so the broker restarts on its own data (a new id would not
     * match the one in meta.properties).
     */
    private void formatStorage(Path properties) {
        ProcessSupervisor.runToCompletion(ProcessSupervisor.sameJvm("kafka.tools.StorageTool", List.of("-Xmx256m"),
                List.of("format", "--ignore-formatted", "-t", clusterId(), "-c", properties.toString())),
                logFile(), Duration.ofSeconds(60));
    }

    private String clusterId() {
        Path file = home.resolve("cluster.id");
        try {
            if (!Files.exists(file)) {
                Files.writeString(file, Uuid.randomUuid().toString());
            }
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the cluster id in " + file, e);
        }
    }

    private void awaitReady(String bootstrap, ProcessHandle broker) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000))) {
            awaitReady(broker, STARTUP_TIMEOUT, Duration.ofMillis(250), () -> {
                try {
                    return !admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty();
                } catch (Exception notYet) {
                    return false;
                }
            });
        }
    }
}
