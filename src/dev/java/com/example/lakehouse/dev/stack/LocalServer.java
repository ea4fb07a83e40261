package com.example.lakehouse.dev.stack;

import com.example.lakehouse.process.ProcessSupervisor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import com.example.lakehouse.config.LakehouseConfig;

/**
 * A real server the project runs itself on 127.0.0.1 (Kafka, MariaDB, Maxwell, Trino, S3) for the demo, the
 * tests and a laptop: a child process with its pid and log files under the run directory. Production
 * points the configuration at its own services instead.
 */
public abstract class LocalServer {
    protected final ProcessSupervisor supervisor;
    /** The server's own folder under the run directory: its configuration and data. */
    protected final Path home;
    private final String name;

    protected LocalServer(Path runDir, String name) {
        this.supervisor = new ProcessSupervisor(runDir);
        this.home = runDir.resolve(name).toAbsolutePath();
        this.name = name;
    }

    public String name() {
        return name;
    }

    /**
     * Starts the server where {@code config} places it, waits until it serves, and returns its address. A
     * config that places it elsewhere (another host) fails with a one-line message naming the key.
     */
    public abstract String start(LakehouseConfig config);

    /** Stops the server (SIGTERM, then kill after 30 s); false if it was not running. */
    public boolean stop() {
        return supervisor.stop(name, Duration.ofSeconds(30));
    }

    public Optional<ProcessHandle> running() {
        return supervisor.running(name);
    }

    public Path logFile() {
        return supervisor.logFile(name);
    }

    /**
     * Asks {@code ready} every {@code interval} until it says yes. If the process exits first, or
     * {@code timeout} passes (the server is then stopped), fails with the end of the server's log.
     */
    protected void awaitReady(ProcessHandle process, Duration timeout, Duration interval, BooleanSupplier ready) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited during start-up; see " + logFile() + ":"
                        + System.lineSeparator() + supervisor.logTail(name, 20));
            }
            if (ready.getAsBoolean()) {
                return;
            }
            sleep(interval);
        }
        stop();
        throw new IllegalStateException(name + " did not start within " + timeout.toSeconds() + " s; see " + logFile());
    }

    /** True for the host names a local server answers on. */
    public static boolean isLocalHost(String host) {
        return host.equals("127.0.0.1") || host.equals("localhost");
    }

    /** A TCP port on 127.0.0.1 that nothing listens on now, for a server of the demo or a test. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    protected static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
