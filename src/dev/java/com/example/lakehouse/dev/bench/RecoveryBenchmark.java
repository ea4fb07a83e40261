package com.example.lakehouse.dev.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;

import com.example.lakehouse.cli.JobControlCommands;
import com.example.lakehouse.cli.LakehouseCli;
import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.dev.generate.AppLogGenerator;
import com.example.lakehouse.dev.generate.KafkaPublisher;
import com.example.lakehouse.dev.stack.LocalStack;
import com.example.lakehouse.job.AppLogIngestJob;
import com.example.lakehouse.kafka.KafkaTopics;
import com.example.lakehouse.process.BackgroundJob;

/**
 * Recovery of the app-log ingest from {@code kill -9}, as a user runs it: `start ingest-logs` (a JVM of its own)
 * on a copy of the demo's tables, so the first batch after a start lands on tables that hold data. Each round
 * kills the ingest, produces a few new devices and starts it again, timing the start to the first micro-batch
 * it commits (the log's batch line). Then, while new devices keep arriving, the ingest is killed and started
 * again every interval: does each run still commit?
 */
public final class RecoveryBenchmark {
    /** New devices produced before each timed start, as many as a user's quiet few seconds bring. */
    private static final int DEVICES_PER_ROUND = 25;
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    /** Start-to-first-batch times of the rounds, and the batches each restarted run committed. */
    public record Result(List<Long> firstBatchMillis, List<Integer> batchesPerRun) {
    }

    private RecoveryBenchmark() {
    }

    /**
     * `bench recovery`: copies the demo's tables (those of {@code base}) under {@code workDir}, starts a broker and the ingest there,
     * runs {@code rounds} timed kill-and-start rounds, then {@code restarts} runs of {@code restartEvery}
     * each; prints both tables of docs/benchmarks.md.
     */
    public static Result report(LakehouseConfig base, Path workDir, int rounds, int restarts, Duration restartEvery)
            throws Exception {
        Path runDir = workDir.resolve("run");
        LakehouseConfig withTables = base.toBuilder().tableRoot(DemoCopy.tables(base, workDir)).checkpointRoot(workDir.resolve("checkpoints"))
                .runDir(runDir).build();
        BackgroundJob ingest = JobControlCommands.job("ingest-logs");
        try (LocalStack stack = new LocalStack(runDir, withTables).startKafka()) {
            LakehouseConfig config = stack.config();
            KafkaTopics.ensure(config.kafka().bootstrapServers(), config.kafka().appLogTopic(),
                    AppLogIngestJob.TOPIC_PARTITIONS);
            Path configFile = runDir.resolve("ingest-logs.properties");
            config.writeTo(configFile);
            Ingest running = new Ingest(ingest, runDir, configFile);
            NewDevices devices = new NewDevices(config, 30_000_000);
            try {
                devices.produce(DEVICES_PER_ROUND);
                Run run = running.start();
                run.awaitFirstBatch(); // the first start reads the topic from its beginning: not timed

                List<Long> firstBatch = new ArrayList<>();
                for (int round = 0; round < rounds; round++) {
                    run.kill();
                    devices.produce(DEVICES_PER_ROUND);
                    run = running.start();
                    firstBatch.add(run.awaitFirstBatch());
                }

                List<Integer> batchesPerRun = new ArrayList<>();
                Thread steady = devices.steadily(20);
                try {
                    for (int restart = 0; restart < restarts; restart++) {
                        run.kill();
                        run = running.start();
                        Thread.sleep(Math.max(0, restartEvery.toMillis() - run.sinceStartMillis()));
                        batchesPerRun.add(run.batches());
                    }
                } finally {
                    steady.interrupt();
                    steady.join();
                }
                System.out.println("| round | start to first committed batch ms |");
                System.out.println("|---|---|");
                for (int round = 0; round < firstBatch.size(); round++) {
                    System.out.printf("| %d | %d |%n", round + 1, firstBatch.get(round));
                }
                System.out.println();
                System.out.printf("| run (killed %d s after its start) | batches committed |%n", restartEvery.toSeconds());
                System.out.println("|---|---|");
                for (int i = 0; i < batchesPerRun.size(); i++) {
                    System.out.printf("| %d | %d |%n", i + 1, batchesPerRun.get(i));
                }
                return new Result(firstBatch, batchesPerRun);
            } finally {
                ingest.stop(runDir, Duration.ofMinutes(1));
            }
        }
    }

    /** The ingest as `start ingest-logs` runs it, killed as `kill -9` kills it. */
    private record Ingest(BackgroundJob job, Path runDir, Path configFile) {
        Run start() throws InterruptedException {
            long logLines = logLines().size();
            long started = System.nanoTime();
            ProcessHandle process = job.start(runDir, LakehouseCli.class.getName(),
                    List.of("--config", configFile.toString()), START_TIMEOUT);
            return new Run(this, process, logLines, started);
        }

        List<String> logLines() {
            try {
                Path log = job.logFile(runDir);
                return Files.exists(log) ? Files.readAllLines(log) : List.of();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** One run of the ingest: the log lines it wrote are those after {@code firstLine}. */
    private record Run(Ingest ingest, ProcessHandle process, long firstLine, long startedNanos) {
        void kill() throws Exception {
            if (!process.isAlive()) {
                throw new IllegalStateException(ingest.job().name() + " died; see " + ingest.job().logFile(ingest.runDir()));
            }
            process.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no last batch
            process.onExit().get(1, TimeUnit.MINUTES);
        }

        long sinceStartMillis() {
            return (System.nanoTime() - startedNanos) / 1_000_000;
        }

        /** Waits for this run's first committed batch; the time from the start command to its log line. */
        long awaitFirstBatch() throws InterruptedException {
            while (batches() == 0) {
                if (sinceStartMillis() > START_TIMEOUT.toMillis()) {
                    throw new IllegalStateException("no batch committed " + START_TIMEOUT.toSeconds() + " s after the start;"
                            + " see " + ingest.job().logFile(ingest.runDir()));
                }
                Thread.sleep(100);
            }
            return sinceStartMillis();
        }

        /** The micro-batches that read something, of either query, this run has committed so far. */
        int batches() {
            return (int) ingest.logLines().stream().skip(firstLine).map(LiveIngest.BATCH_LINE::matcher)
                    .filter(Matcher::find).count();
        }
    }

    /** Devices opening the app now, each new today, numbered on from {@code firstDevice}. */
    private static final class NewDevices {
        private final LakehouseConfig config;
        private int next;

        NewDevices(LakehouseConfig config, int firstDevice) {
            this.config = config;
            this.next = firstDevice;
        }

        synchronized void produce(int devices) {
            ZoneId zone = config.timeZone();
            KafkaPublisher.publish(config.kafka().bootstrapServers(), config.kafka().appLogTopic(),
                    AppLogGenerator.opening(next, devices, Instant.now(), zone, next));
            next += devices;
        }

        /** A thread producing {@code perSecond} devices a second, a second's worth at a time, until interrupted. */
        Thread steadily(int perSecond) {
            Thread thread = new Thread(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        produce(perSecond);
                        Thread.sleep(1000);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "bench-recovery-devices");
            thread.start();
            return thread;
        }
    }
}
