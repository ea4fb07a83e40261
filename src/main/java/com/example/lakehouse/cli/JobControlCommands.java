package com.example.lakehouse.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;
import java.util.concurrent.Callable;

import com.example.lakehouse.config.ConfigException;
import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.job.AppLogIngestJob;
import com.example.lakehouse.job.CdcIngestJob;
import com.example.lakehouse.process.JobState;
import com.example.lakehouse.stack.LocalStack;
import com.example.lakehouse.process.ProcessSupervisor;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** start/stop/status of long-running jobs, each a `lakehouse` command run in the background. */
final class JobControlCommands {
    /** A background job: the command line it runs and the query whose {@link JobState} it keeps. */
    private record Job(List<String> command, String queryName) {
    }

    /** Job name -> what it runs. */
    static final Map<String, Job> JOBS = new TreeMap<>(Map.of(
            "ingest-logs", new Job(List.of("ingest", "logs"), AppLogIngestJob.QUERY_NAME),
            "ingest-cdc", new Job(List.of("ingest", "cdc"), CdcIngestJob.QUERY_NAME)));
    /** Long enough for a JVM, a Spark session and the first read of Kafka's offsets on a busy 2-core machine. */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private JobControlCommands() {
    }

    static int report(String name, Optional<ProcessHandle> process) {
        System.out.println(process.map(handle -> name + " running (pid " + handle.pid() + ")").orElse(name + " stopped"));
        return process.isPresent() ? 0 : 3;
    }


    static void printStopped(String name, boolean wasRunning) {
        System.out.println(wasRunning ? name + " stopped" : name + " was not running");
    }

    private static Job job(String name) {
        Job job = JOBS.get(name);
        if (job == null) {
            throw new ConfigException("unknown job '" + name + "'; known: " + String.join(", ", JOBS.keySet()));
        }
        return job;
    }

    /** A job's status line: running, or when and how it ended; exit 0 if it runs, 3 if not. */
    private static int reportJob(ProcessSupervisor supervisor, LakehouseConfig config, String name) {
        Optional<ProcessHandle> process = supervisor.running(name);
        Optional<JobState.Entry> state = new JobState(config.storage().runDir(), job(name).queryName()).read();
        if (process.isPresent()) {
            System.out.println(name + " running (pid " + process.get().pid() + ")"
                    + state.filter(entry -> entry.phase() == JobState.Phase.RUNNING).map(entry -> ", " + entry.describe()).orElse(""));
            return 0;
        }
        // a job that was killed (kill -9, out of memory) had no chance to record its end
        System.out.println(name + " stopped" + state.map(entry -> entry.phase() == JobState.Phase.RUNNING
                ? " (killed: it last said it was " + entry.describe() + ")"
                : " (" + entry.describe() + ")").orElse(""));
        return 3;
    }

    @Command(name = "start", description = "Start a long-running job in the background (pid and log under lakehouse.run-dir).")
    static final class Start implements Callable<Integer> {
        @ParentCommand
        LakehouseCli cli;
        @Parameters(paramLabel = "JOB", description = "one of: ingest-logs, ingest-cdc")
        String job;

        /** Launches the job and waits until it runs (it has read its topic's offsets), or says why it died. */
        @Override
        public Integer call() throws InterruptedException {
            Job target = job(job);
            List<String> args = new ArrayList<>();
            if (cli.configFile != null) {
                args.addAll(List.of("--config", cli.configFile.toAbsolutePath().toString()));
            }
            args.addAll(target.command());
            ProcessSupervisor supervisor = new ProcessSupervisor(cli.config().storage().runDir());
            JobState state = new JobState(cli.config().storage().runDir(), target.queryName());
            Instant launched = Instant.now();
            ProcessHandle process = supervisor.start(job, ProcessSupervisor.sameJvm(LakehouseCli.class.getName(), List.of(), args));
            Instant deadline = launched.plus(START_TIMEOUT);
            while (Instant.now().isBefore(deadline)) {
                Optional<JobState.Entry> entry = state.read().filter(written -> !written.at().isBefore(launched));
                if (entry.isPresent() && entry.get().phase() == JobState.Phase.RUNNING) {
                    System.out.println(job + " started (pid " + process.pid() + ", log " + supervisor.logFile(job) + ")");
                    return 0;
                }
                if (!process.isAlive()) {
                    String cause = entry.filter(written -> written.phase() == JobState.Phase.DIED).map(JobState.Entry::detail)
                            .orElseGet(() -> supervisor.lastErrorLine(job));
                    throw new IllegalStateException(job + " died while starting: " + cause + " (log: " + supervisor.logFile(job) + ")");
                }
                Thread.sleep(250);
            }
            throw new IllegalStateException(job + " is not running after " + START_TIMEOUT.toSeconds() + " s (pid "
                    + process.pid() + "); see " + supervisor.logFile(job));
        }
    }

    @Command(name = "stop", description = "Stop a job: it finishes its micro-batch, and is killed after jobs.stop-timeout-seconds.")
    static final class Stop implements Callable<Integer> {
        @ParentCommand
        LakehouseCli cli;
        @Parameters(paramLabel = "JOB", description = "one of: ingest-logs, ingest-cdc")
        String job;

        @Override
        public Integer call() {
            job(job);
            Duration grace = cli.config().ingest().stopTimeout().plusSeconds(10);
            printStopped(job, new ProcessSupervisor(cli.config().storage().runDir()).stop(job, grace));
            return 0;
        }
    }

    @Command(name = "status", description = "Show whether the jobs and the local broker run; exit 3 if a named one does not.")
    static final class Status implements Callable<Integer> {
        @ParentCommand
        LakehouseCli cli;
        @Parameters(paramLabel = "JOB", arity = "0..1", description = "one job (default: all)")
        String job;

        @Override
        public Integer call() {
            ProcessSupervisor supervisor = new ProcessSupervisor(cli.config().storage().runDir());
            if (job != null) {
                return reportJob(supervisor, cli.config(), job);
            }
            LocalStack.SERVERS.forEach(server -> report(server.name(), supervisor.running(server.name())));
            JOBS.keySet().forEach(name -> reportJob(supervisor, cli.config(), name));
            return 0;
        }
    }
}
