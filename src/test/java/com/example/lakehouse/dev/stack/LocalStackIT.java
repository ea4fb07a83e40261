package com.example.lakehouse.dev.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.process.ProcessSupervisor;

/** A stack's servers do not outlive its JVM, even when that JVM is stopped before the stack is closed. */
class LocalStackIT {
    private static final String STARTED = "stack started";

    @TempDir
    Path runDir;

    /** The JVM under test: a stack with a Kafka broker under args[0], which says so, then runs until stopped. */
    public static void main(String[] args) throws InterruptedException {
        new LocalStack(Path.of(args[0]), LakehouseConfig.defaultConfig()).startKafka();
        System.out.println(STARTED);
        Thread.sleep(Long.MAX_VALUE);
    }

    @Test
    void aJvmStoppedBeforeClosingItsStackStopsTheStacksServers() throws Exception {
        Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), LocalStackIT.class.getName(), runDir.toString())
                .redirectErrorStream(true).start();
        try (BufferedReader output = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = output.readLine()) != null && !line.equals(STARTED)) {
                // the broker's start-up
            }
            assertThat(line).as("the JVM's last line before it ended").isEqualTo(STARTED);
            ProcessHandle broker = new ProcessSupervisor(runDir).running(LocalKafkaBroker.NAME).orElseThrow();

            jvm.destroy(); // SIGTERM to that JVM alone, as `timeout` or `kill <pid>` sends it
            assertThat(jvm.waitFor(90, TimeUnit.SECONDS)).isTrue();
            broker.onExit().completeOnTimeout(broker, 30, TimeUnit.SECONDS).get();
            assertThat(broker.isAlive()).as("the stack's broker, 30 s after its JVM ended").isFalse();
            assertThat(new ProcessSupervisor(runDir).running(LocalKafkaBroker.NAME)).isEmpty();
        } finally {
            jvm.destroyForcibly();
            new ProcessSupervisor(runDir).stop(LocalKafkaBroker.NAME, Duration.ofSeconds(10));
        }
    }
}
