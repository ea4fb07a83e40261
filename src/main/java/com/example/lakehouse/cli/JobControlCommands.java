package com.example.lakehouse.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.example.lakehouse.config.ConfigException;
import com.example.lakehouse.config.LakehouseConfig;
import com.example.lakehouse.job.AppLogIngestJob;
import com.example.lakehouse.job.CdcIngestJob;
import com.example.lakehouse.job.PipelineReports;
import com.example.lakehouse.process.BackgroundJob;
import com.example.lakehouse.process.ProcessSupervisor;
import com.example.lakehouse.table.Tables;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * start/stop/status of long-running jobs, each a `lakehouse` command run in the background; its status lines are
 * also those of the developer tooling's local servers.
 */
public final class JobControlCommands {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Job name -> what it runs. */
    static final Map<String, BackgroundJob> JOBS = Stream.of(
            new BackgroundJob("ingest-logs", List.of("ingest", "logs"), AppLogIngestJob.QUERY_NAME),
            new BackgroundJob("ingest-cdc", List.of("ingest", "cdc"), CdcIngestJob.QUERY_NAME))
            .collect(Collectors.toMap(BackgroundJob::name, job -> job, (first, second) -> first, TreeMap::new));
    /** Long enough for a JVM, a Spark session and the first read of Kafka's offsets on a busy 2-core machine. */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private JobControlCommands() {
    }

    /** A job's or server's line of `status`, from its process alone; exit 0 if it runs, 3 if not. */
    public static int report(String name, Optional<ProcessHandle> process) {
        System.out.println(process.map(handle -> name + " running (pid " + handle.pid() + ")").orElse(name + " stopped"));
        return process.isPresent() ? 0 : 3;
    }

    public static void printStopped(String name, boolean wasRunning) {
        System.out.println(wasRunning ? name + " stopped" : name + " was not running");
    }

    /** The local servers of the developer tooling, in its order; none without it, as in the production jar. */
    private static List<String> localServers() {
        return ExtraCommands.onClasspath().stream().flatMap(extra -> extra.localServers().stream()).toList();
    }

    /** The background job {@code name} (ingest-logs, ingest-cdc), as `start` runs it. */
    public static BackgroundJob job(String name) {
        BackgroundJob job = JOBS.get(name);
        if (job == null) {
            throw new ConfigException("unknown job '" + name + "'; known: " + String.join(", ", JOBS.keySet()));
        }
        return job;
    }

    /**
     * The servers and jobs of this machine's run directory, and what the streams reported beside their checkpoints and
     * the nightly runs beside the tables, wherever those run.
     */
    private static Map<String, Object> asJson(LakehouseConfig config, Tables catalog) {
        Path runDir = config.storage().runDir();
        ProcessSupervisor supervisor = new ProcessSupervisor(runDir);
        Map<String, Object> servers = new TreeMap<>();
        localServers().forEach(server -> servers.put(server, supervisor.running(server).isPresent()));
        Map<String, Object> jobs = new TreeMap<>();
        JOBS.values().forEach(job -> jobs.put(job.name(), job.status(runDir).running()));
        PipelineReports reports = PipelineReports.read(config, catalog);
        if (!reports.unreadable().isEmpty()) {
            throw new IllegalStateException(String.join("; ", reports.unreadable()));
        }
        Map<String, Object> streams = new LinkedHashMap<>();
        reports.streams().forEach((query, progress) -> streams.put(query, progress.orElse(null)));
        Map<String, Object> tables = new LinkedHashMap<>();
        catalog.builtBySql().forEach(table -> tables.put(table.name(), reports.tables().get(table.name())));
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("servers_running", servers);
        status.put("jobs_running", jobs);
        status.put("streams", streams);
        status.put("tables", tables);
        return status;
    }

    /** A job's status line; exit 0 if it runs, 3 if not. */
    private static int reportJob(BackgroundJob job, Path runDir) {
        BackgroundJob.Status status = job.status(runDir);
        System.out.println(status.line());
        return status.running() ? 0 : 3;
    }

    @Command(name = "start", description = "Start a long-running job in the background (pid and log under lakehouse.run-dir).")
    static final class Start implements Callable<Integer> {
        @ParentCommand
        LakehouseCli cli;
        @Parameters(paramLabel = "JOB", description = "one of: ingest-logs, ingest-cdc")
        String job;

        /** Launches the job with this command's configuration and waits until it runs, or says why it died. */
        @Override
        public Integer call() throws InterruptedException {
            BackgroundJob target = job(job);
            List<String> configArgs = new ArrayList<>();
            if (cli.configFile != null) {
                configArgs.addAll(List.of("--config", cli.configFile.toAbsolutePath().toString()));
            }
            Path runDir = cli.config().storage().runDir();
            ProcessHandle process = target.start(runDir, LakehouseCli.class.getName(), configArgs, START_TIMEOUT);
            System.out.println(job + " started (pid " + process.pid() + ", log " + target.logFile(runDir) + ")");
            return 0;
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
            boolean wasRunning = job(job).stop(cli.config().storage().runDir(), cli.config().ingest().stopTimeout().plusSeconds(10));
            printStopped(job, wasRunning);
            return 0;
        }
    }

    @Command(name = "status", description = "Show whether the jobs and the local servers run; exit 3 if a named job does not."
            + " --tables: each daily table's last day built, and the days whose inputs changed since or no run built.")
    static final class Status implements Callable<Integer> {
        @ParentCommand
        LakehouseCli cli;
        @Parameters(paramLabel = "JOB", arity = "0..1", description = "one job (default: all)")
        String job;
        @Option(names = "--tables", description = "the derived tables instead (starts a local Spark session)")
        boolean tables;
        @Option(names = "--json", description = "one JSON document, for monitoring: whether the local servers and jobs run,"
                + " what each stream and each table's builds last reported (what the API's /health reads); with --tables,"
                + " the tables' days")
        boolean json;

        @Override
        public Integer call() throws Exception {
            if (tables) {
                TableStatusReport.print(cli.config(), cli.tables(), json);
                return 0;
            }
            Path runDir = cli.config().storage().runDir();
            if (json) {
                if (job != null) {
                    throw new ConfigException("--json shows every job; leave out '" + job + "'");
                }
                System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(asJson(cli.config(), cli.tables())));
                return 0;
            }
            if (job != null) {
                return reportJob(job(job), runDir);
            }
            ProcessSupervisor supervisor = new ProcessSupervisor(runDir);
            localServers().forEach(server -> report(server, supervisor.running(server)));
            JOBS.values().forEach(background -> reportJob(background, runDir));
            return 0;
        }
    }
}
