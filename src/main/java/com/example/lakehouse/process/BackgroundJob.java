package com.example.lakehouse.process;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A long-running job run in the background as a command of the CLI in a JVM of its own, with its pid, log
 * and {@link JobState} under the run directory: its name, its command line and the streaming query whose
 * state it keeps.
 */
public record BackgroundJob(String name, List<String> command, String queryName) {
    /** What `status` says about a job: one line, and whether it runs. */
    public record Status(String line, boolean running) {
    }

    /**
     * Launches {@code mainClass} with {@code leadingArgs} and the job's command, then waits until the job
     * says it runs (it has read its topic's offsets). Fails with the cause if it dies first, or if it is
     * not running within {@code timeout}.
     */
    public ProcessHandle start(Path runDir, String mainClass, List<String> leadingArgs, Duration timeout)
            throws InterruptedException {
        ProcessSupervisor supervisor = new ProcessSupervisor(runDir);
        JobState state = new JobState(runDir, queryName);
        List<String> args = new ArrayList<>(leadingArgs);
        args.addAll(command);
        Instant launched = Instant.now();
        ProcessHandle process = supervisor.start(name, ProcessSupervisor.sameJvm(mainClass, List.of(), args));
        Instant deadline = launched.plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            Optional<JobState.Entry> entry = state.read().filter(written -> !written.at().isBefore(launched));
            if (entry.isPresent() && entry.get().phase() == JobState.Phase.RUNNING) {
                return process;
            }
            if (!process.isAlive()) {
                String cause = entry.filter(written -> written.phase() == JobState.Phase.DIED).map(JobState.Entry::detail)
                        .orElseGet(() -> supervisor.lastErrorLine(name));
                throw new IllegalStateException(name + " died while starting: " + cause + " (log: " + supervisor.logFile(name) + ")");
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(name + " is not running after " + timeout.toSeconds() + " s (pid "
                + process.pid() + "); see " + supervisor.logFile(name));
    }

    /** Running, or when and how it ended; a job that was killed (kill -9, out of memory) had no chance to record its end. */
    public Status status(Path runDir) {
        Optional<ProcessHandle> process = new ProcessSupervisor(runDir).running(name);
        Optional<JobState.Entry> state = new JobState(runDir, queryName).read();
        if (process.isPresent()) {
            return new Status(name + " running (pid " + process.get().pid() + ")" + state.filter(entry -> entry.phase()
                    == JobState.Phase.RUNNING).map(entry -> ", " + entry.describe()).orElse(""), true);
        }
        return new Status(name + " stopped" + state.map(entry -> entry.phase() == JobState.Phase.RUNNING
                ? " (killed: it last said it was " + entry.describe() + ")"
                : " (" + entry.describe() + ")").orElse(""), false);
    }

    /** Asks the job to stop after its micro-batch and kills it after {@code gracePeriod}; false if it was not running. */
    public boolean stop(Path runDir, Duration gracePeriod) {
        return new ProcessSupervisor(runDir).stop(name, gracePeriod);
    }

    public Path logFile(Path runDir) {
        return new ProcessSupervisor(runDir).logFile(name);
    }
}
