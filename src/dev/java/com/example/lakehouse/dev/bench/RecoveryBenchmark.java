package com.example.lakehouse.dev.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import com.example.lakehouse.cli.JobControlCommands;
import com.example.lakehouse.cli.LakehouseCli;
import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.dev.generate.AppLogGenerator;
import com.example.lakehouse.dev.generate.KafkaPublisher;
import com.example.lakehouse.dev.stack.LocalStack;
import com.example.lakehouse.job.AppLogIngestJob;
import com.example.lakehouse.kafka.KafkaTopics;
import com.example.lakehouse.process.BackgroundJob;
import com.example.lakehouse.process.ProcessSupervisor;

/**
 * Recovery of the app-log ingest from {@code kill -9}, as a user runs it: `start ingest-logs` (a CLI JVM that
 * launches the ingest's JVM and waits until it runs) on a copy of the demo's tables, so the first batch after a
 * start lands on tables that hold data. Each round kills the ingest, produces a few new devices and starts it
 * again, timing the start command to the first micro-batch each of its two queries commits (the log's batch
 * lines). Then, while new devices keep arriving, the ingest is killed and started again every interval: does
 * each run still commit, in both queries?
 */
public final class RecoveryBenchmark {
    /** New devices produced before each timed start, as many as a user's quiet few seconds bring. */
    private static final int DEVICES_PER_ROUND = 25;
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    /** The ingest's two queries: today's figures, and the archive into ods_app_log. */
    private static final List<String> QUERIES = List.of(AppLogIngestJob.LIVE_QUERY_NAME, AppLogIngestJob.QUERY_NAME);

    /**
     * For each round, the start-to-first-batch time of each query (in {@link #QUERIES}' order), and for each
     * restarted run, the batches each query committed.
     */
    public record Result(List<List<Long>> firstBatchMillis, List<List<Integer>> batchesPerRun) {
        /** The slowest first batch of any query in any round. */
        public long slowestFirstBatchMillis() {
            return firstBatchMillis.stream().flatMap(List::stream).mapToLong(Long::longValue).max().orElse(0);
        }

        /** The fewest batches any query committed in any restarted run. */
        public int fewestBatches() {
            return batchesPerRun.stream().flatMap(List::stream).mapToInt(Integer::intValue).min().orElse(0);
        }
    }

    private RecoveryBenchmark() {
    }

    /**
     * `bench recovery`: copies the demo's tables (those of {@code base}) under {@code workDir}, starts a broker
     * and the ingest there, runs {@code rounds} timed kill-and-start rounds, then {@code restarts} runs of
     * {@code restartEvery} each; prints both tables of docs/benchmarks.md.
     */
    public static Result report(LakehouseConfig base, Path workDir, int rounds, int restarts, Duration restartEvery)
            throws Exception {
        ClassArchive.noteIfNotInUse("the ingest inherits this JVM's options, so the starts below are timed without it");
        Path runDir = workDir.resolve("run");
        LakehouseConfig withTables = base.toBuilder().tableRoot(DemoCopy.tables(base, workDir))
                .checkpointRoot(workDir.resolve("checkpoints")).runDir(runDir).build();
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
                run.awaitFirstBatches(); // the first start reads the topic from its beginning: not timed

                List<List<Long>> firstBatches = new ArrayList<>();
                for (int round = 0; round < rounds; round++) {
                    run.kill();
                    devices.produce(DEVICES_PER_ROUND);
                    run = running.start();
                    firstBatches.add(run.awaitFirstBatches());
                }

                List<List<Integer>> batchesPerRun = new ArrayList<>();
                FutureTask<Void> steady = devices.steadily(20);
                try {
                    for (int restart = 0; restart < restarts && !steady.isDone(); restart++) {
                        run.kill();
                        run = running.start();
                        Thread.sleep(Math.max(0, restartEvery.toMillis() - run.sinceStartMillis()));
                        Run ended = run;
                        batchesPerRun.add(QUERIES.stream().map(ended::batches).toList());
                    }
                } finally {
                    steady.cancel(true);
                }
                if (!steady.isCancelled()) {
                    steady.get(); // the producer's failure: the runs after it had no traffic
                }
                print(restartEvery, firstBatches, batchesPerRun);
                return new Result(firstBatches, batchesPerRun);
            } finally {
                ingest.stop(runDir, Duration.ofMinutes(1));
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(e.getCause());
        }
    }

    private static void print(Duration restartEvery, List<List<Long>> firstBatches, List<List<Integer>> batchesPerRun) {
        System.out.println("| round | start to first committed batch ms: " + String.join(" / ", QUERIES) + " |");
        System.out.println("|---|---|");
        for (int round = 0; round < firstBatches.size(); round++) {
            System.out.printf("| %d | %s |%n", round + 1, firstBatches.get(round).stream().map(String::valueOf)
                    .collect(Collectors.joining(" / ")));
        }
        System.out.println();
        System.out.printf("| run (killed %d s after its start) | batches committed: %s |%n", restartEvery.toSeconds(),
                String.join(" / ", QUERIES));
        System.out.println("|---|---|");
        for (int run = 0; run < batchesPerRun.size(); run++) {
            System.out.printf("| %d | %s |%n", run + 1, batchesPerRun.get(run).stream().map(String::valueOf)
                    .collect(Collectors.joining(" / ")));
        }
    }

    /** The ingest as `bin/lakehouse start ingest-logs` runs it, killed as `kill -9` kills it. */
    private record Ingest(BackgroundJob job, Path runDir, Path configFile) {
        /** The start command, in a JVM of its own as the user's, which returns once the ingest runs. */
        Run start() {
            long logLines = logLines().size();
            long started = System.nanoTime();
            ProcessSupervisor.runToCompletion(ProcessSupervisor.sameJvm(LakehouseCli.class.getName(), List.of(),
                    List.of("--config", configFile.toString(), "start", job.name())), runDir.resolve("start.log"),
                    START_TIMEOUT);
            ProcessHandle process = new ProcessSupervisor(runDir).running(job.name()).orElseThrow(() ->
                    new IllegalStateException(job.name() + " is not running after its start; see " + job.logFile(runDir)));
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
        void kill() throws InterruptedException {
            if (!process.isAlive()) {
                throw new IllegalStateException(ingest.job().name() + " died; see " + ingest.job().logFile(ingest.runDir()));
            }
            process.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no last batch
            try {
                process.onExit().get(1, TimeUnit.MINUTES);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException(ingest.job().name() + " (pid " + process.pid() + ") did not end after"
                        + " SIGKILL within a minute", e);
            }
        }

        long sinceStartMillis() {
            return (System.nanoTime() - startedNanos) / 1_000_000;
        }

        /**
         * Waits until each query has committed a batch in this run; for each, the time from the start command to
         * the log line of its first batch, as this poll (every 100 ms) first saw it.
         */
        List<Long> awaitFirstBatches() throws InterruptedException {
            Map<String, Long> first = new LinkedHashMap<>();
            while (first.size() < QUERIES.size()) {
                if (sinceStartMillis() > START_TIMEOUT.toMillis()) {
                    throw new IllegalStateException("no batch of " + QUERIES.stream().filter(query -> !first.containsKey(query))
                            .toList() + " " + START_TIMEOUT.toSeconds() + " s after the start; see " + ingest.job().logFile(ingest.runDir()));
                }
                long now = sinceStartMillis();
                QUERIES.stream().filter(query -> !first.containsKey(query) && batches(query) > 0)
                        .forEach(query -> first.put(query, now));
                Thread.sleep(100);
            }
            return QUERIES.stream().map(first::get).toList();
        }

        /** The micro-batches that read something that query {@code name} has committed in this run so far. */
        int batches(String name) {
            return LiveIngest.batchMillis(ingest.logLines().stream().skip(firstLine).toList(), name).size();
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

        /** Produces {@code perSecond} devices a second, a second's worth at a time, on a thread of its own until cancelled. */
        FutureTask<Void> steadily(int perSecond) {
            FutureTask<Void> task = new FutureTask<>(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    produce(perSecond);
                    Thread.sleep(1000);
                }
                return null;
            });
            Thread thread = new Thread(task, "bench-recovery-devices");
            thread.setDaemon(true);
            thread.start();
            return task;
        }
    }
}
