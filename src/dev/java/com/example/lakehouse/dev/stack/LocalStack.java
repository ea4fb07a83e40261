package com.example.lakehouse.dev.stack;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;

import com.example.lakehouse.config.LakehouseConfig;

/**
 * The local servers that stand in for production's services, and a set of them started for one run (the
 * demo, a benchmark, a test class) under one folder, each on a free port of 127.0.0.1, stopped together.
 * {@link #config()} is the configuration pointing at the servers started so far.
 */
public final class LocalStack implements AutoCloseable {
    /** One kind of local server: its name (also its CLI command), what it is, and how to make it under a run folder. */
    public record Server(String name, String description, Function<Path, LocalServer> at) {
    }

    /** Every local server, in the order a full stack starts them. */
    public static final List<Server> SERVERS = List.of(
            new Server(LocalKafkaBroker.NAME, "the local Kafka broker (KRaft, one node) on the 127.0.0.1 port of"
                    + " kafka.bootstrap.servers", LocalKafkaBroker::new),
            new Server(LocalMariaDb.NAME, "the local MariaDB source database on source.db.port: the gmall schema"
                    + " (sql/source/gmall.sql), a ROW binlog and Maxwell's user", LocalMariaDb::new),
            new Server(LocalMaxwell.NAME, "Maxwell on the local MariaDB, producing its changes to kafka.topic.maxwell,"
                    + " keyed by primary key; resolved from Maven Central on first start", LocalMaxwell::new),
            new Server(LocalTrino.NAME, "a local Trino over the table root (delta_lake connector) on trino.port;"
                    + " installed from Maven Central on first start, registers every table", LocalTrino::new),
            new Server(LocalS3Server.NAME, "a local S3-compatible server (S3Proxy) at s3.endpoint; installed from Maven"
                    + " Central on first start, creates the buckets of the s3a:// roots", LocalS3Server::new));

    private final Path dir;
    private final Deque<LocalServer> started = new ArrayDeque<>();
    /**
     * Stops the servers when the JVM stops before the stack is closed (a SIGTERM to the demo's JVM alone, as
     * `timeout` sends): its children would run on, and their pid files make the next start refuse them.
     */
    private final Thread stopOnExit = new Thread(this::stopAll, "local-stack-stop");
    private boolean stopOnExitAdded;
    private LakehouseConfig config;

    /** A stack with its servers' data and logs under {@code dir}, configured from {@code base}. */
    public LocalStack(Path dir, LakehouseConfig base) {
        this.dir = dir.toAbsolutePath();
        this.config = base;
    }

    /** The base configuration, pointed at each server started so far. */
    public LakehouseConfig config() {
        return config;
    }

    /** A Kafka broker; kafka.bootstrap.servers points at it. */
    public LocalStack startKafka() {
        config = config.toBuilder().kafkaBootstrapServers("127.0.0.1:" + LocalServer.freePort()).build();
        start(LocalKafkaBroker::new);
        return this;
    }

    /** A MariaDB with the source schema; source.db.* points at it. */
    public LocalStack startSourceDatabase() {
        config = config.toBuilder().sourceDbHost("127.0.0.1").sourceDbPort(LocalServer.freePort()).build();
        start(LocalMariaDb::new);
        return this;
    }

    /** Maxwell on the source database, into the Kafka broker; both must have been started. */
    public LocalMaxwell startMaxwell() {
        return start(LocalMaxwell::new);
    }

    /**
     * A Trino over the table root, with every table there registered; trino.port points at it, and with
     * trino.https trino.truststore at its certificate.
     */
    public LocalStack startTrino() {
        config = config.toBuilder().trinoPort(LocalServer.freePort()).build();
        config = start(LocalTrino::new).clientConfig(config);
        return this;
    }

    /** An S3-compatible server taking these keys; s3.* points at it (path-style, as such servers need). */
    public LocalStack startS3(String accessKey, String secretKey) {
        config = config.toBuilder().s3Endpoint(URI.create("http://127.0.0.1:" + LocalServer.freePort()))
                .s3PathStyleAccess(true).s3Keys(accessKey, secretKey).build();
        start(LocalS3Server::new);
        return this;
    }

    /** Stops every server started, the last first; one that fails to stop does not keep the others running. */
    @Override
    public void close() {
        if (stopOnExitAdded) {
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook is stopping them too, one caller at a time
            }
            stopOnExitAdded = false;
        }
        stopAll();
    }

    private synchronized void stopAll() {
        RuntimeException failure = null;
        while (!started.isEmpty()) {
            try {
                started.pop().stop();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Starts one more server. If that fails, it and those started before it are stopped (a server can fail
     * after its process is up, e.g. while creating buckets), so a failed start leaves nothing running.
     */
    private <T extends LocalServer> T start(Function<Path, T> kind) {
        T server = kind.apply(dir);
        if (!stopOnExitAdded) {
            Runtime.getRuntime().addShutdownHook(stopOnExit);
            stopOnExitAdded = true;
        }
        synchronized (this) {
            started.push(server);
        }
        try {
            server.start(config);
        } catch (RuntimeException e) {
            try {
                close();
            } catch (RuntimeException stopFailure) {
                e.addSuppressed(stopFailure);
            }
            throw e;
        }
        return server;
    }
}
