package com.example.lakehouse.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;
import java.util.concurrent.Callable;

import com.example.lakehouse.config.ConfigException;
import com.example.lakehouse.kafka.LocalKafkaBroker;
import com.example.lakehouse.mariadb.LocalMariaDb;
import com.example.lakehouse.maxwell.LocalMaxwell;
import com.example.lakehouse.process.LocalServer;
import com.example.lakehouse.process.ProcessSupervisor;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** start/stop/status of long-running jobs, each a `lakehouse` command run in the background. */
final class JobControlCommands {
    /** Job name -> the command line it runs. */
    static final Map<String, List<String>> JOBS = new TreeMap<>(Map.of(
            "ingest-logs", List.of("ingest", "logs"),
            "ingest-cdc", List.of("ingest", "cdc")));

    private JobControlCommands() {
    }

    static int report(String name, Optional<ProcessHandle> process) {
        System.out.println(process.map(handle -> name + " running (pid " + handle.pid() + ")").orElse(name + " stopped"));
        return process.isPresent() ? 0 : 3;
    }

    /** `<server> status`: exit 0 if the local server runs, 3 if not. */
    static int report(LocalServer server) {
        return report(server.name(), server.running());
    }

    /** `<server> stop`: stops the local server and says whether it was running. */
    static int stop(LocalServer server) {
        printStopped(server.name(), server.stop());
        return 0;
    }

    private static void printStopped(String name, boolean wasRunning) {
        System.out.println(wasRunning ? name + " stopped" : name + " was not running");
    }

    private static List<String> command(String job) {
        List<String> command = JOBS.get(job);
        if (command == null) {
            throw new ConfigException("unknown job '" + job + "'; known: " + String.join(", ", JOBS.keySet()));
        }
        return command;
    }

    @Command(name = "start", description = "Start a long-running job in the background (pid and log under lakehouse.run-dir).")
    static final class Start implements Callable<Integer> {
        @ParentCommand
        LakehouseCli cli;
        @Parameters(paramLabel = "JOB", description = "one of: ingest-logs, ingest-cdc")
        String job;

        @Override
        public Integer call() {
            List<String> args = new ArrayList<>();
            if (cli.configFile != null) {
                args.addAll(List.of("--config", cli.configFile.toAbsolutePath().toString()));
            }
            args.addAll(command(job));
            ProcessSupervisor supervisor = new ProcessSupervisor(cli.config().runDir());
            ProcessHandle process = supervisor.start(job, ProcessSupervisor.sameJvm(LakehouseCli.class.getName(), List.of(), args));
            System.out.println(job + " started (pid " + process.pid() + ", log " + supervisor.logFile(job) + ")");
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
            command(job);
            Duration grace = Duration.ofSeconds(cli.config().stopTimeoutSeconds() + 10);
            printStopped(job, new ProcessSupervisor(cli.config().runDir()).stop(job, grace));
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
            ProcessSupervisor supervisor = new ProcessSupervisor(cli.config().runDir());
            if (job != null) {
                command(job);
                return report(job, supervisor.running(job));
            }
            for (String service : List.of(LocalKafkaBroker.NAME, LocalMariaDb.NAME, LocalMaxwell.NAME)) {
                report(service, supervisor.running(service));
            }
            JOBS.keySet().forEach(name -> report(name, supervisor.running(name)));
            return 0;
        }
    }
}
