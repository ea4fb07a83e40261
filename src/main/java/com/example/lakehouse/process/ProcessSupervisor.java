package com.example.lakehouse.process;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.example.lakehouse.config.ConfigException;

/**
 * Starts, stops and reports background processes by name, with a pid file and a log file each under
 * the run directory. Stop asks politely (SIGTERM, which lets a job finish its micro-batch), waits, and
 * only then kills.
 */
public final class ProcessSupervisor {
    private final Path runDir;

    public ProcessSupervisor(Path runDir) {
        this.runDir = runDir;
    }

    public Path logFile(String name) {
        return runDir.resolve(name + ".log");
    }

    /** The last {@code lines} lines of the process's log, for an error message; empty if there is none. */
    public String logTail(String name, int lines) {
        try {
            List<String> all = Files.readAllLines(logFile(name), StandardCharsets.UTF_8);
            return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * The line of the process's log that says why it failed: the CLI's own one-line error, else the last
     * ERROR line, else the last line.
     */
    public String lastErrorLine(String name) {
        List<String> lines = logTail(name, 400).lines().toList();
        for (String prefix : List.of("lakehouse: ", "ERROR")) {
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (lines.get(i).startsWith(prefix) || (prefix.equals("ERROR") && lines.get(i).contains(" ERROR "))) {
                    return lines.get(i);
                }
            }
        }
        return lines.isEmpty() ? "no output" : lines.get(lines.size() - 1);
    }

    public Optional<ProcessHandle> running(String name) {
        Path pidFile = pidFile(name);
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Starts {@code command} in the background; its output goes to {@link #logFile}. */
    public ProcessHandle start(String name, List<String> command) {
        running(name).ifPresent(process -> {
            throw new ConfigException(name + " is already running (pid " + process.pid() + ")");
        });
        try {
            Files.createDirectories(runDir);
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(name).toFile()))
                    .start();
            Files.writeString(pidFile(name), Long.toString(process.pid()));
            return process.toHandle();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    /** True if a running process was stopped; false if none was running. */
    public boolean stop(String name, Duration gracePeriod) {
        Optional<ProcessHandle> process = running(name);
        process.ifPresent(handle -> {
            handle.destroy();
            if (!waitForExit(handle, gracePeriod)) {
                handle.destroyForcibly();
                waitForExit(handle, Duration.ofSeconds(10));
            }
        });
        try {
            Files.deleteIfExists(pidFile(name));
        } catch (IOException e) {
            throw new IllegalStateException("cannot remove " + pidFile(name), e);
        }
        return process.isPresent();
    }

    /**
     * Runs a one-off command (an installer, a format tool, a download) in the foreground, its output
     * appended to {@code log}; fails, naming the command and the log, if it exits non-zero or outlasts
     * {@code timeout}.
     */
    public static void runToCompletion(List<String> command, Path log, Duration timeout) {
        runToCompletion(command, Map.of(), log, timeout);
    }

    /**
     * The same with {@code environment} added to this process's: how a secret reaches a tool that can read it
     * from a variable, where it is neither on the command line (seen by every user's ps) nor in an error message.
     */
    public static void runToCompletion(List<String> command, Map<String, String> environment, Path log, Duration timeout) {
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("'" + String.join(" ", command) + "' did not finish within "
                        + timeout.toSeconds() + " s; see " + log.toAbsolutePath());
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("'" + String.join(" ", command) + "' failed; see " + log.toAbsolutePath());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        }
    }

    /**
     * Downloads one artifact (group:artifact:version[:type[:classifier]]) into {@code directory} through
     * Maven, so .mvn/settings.xml, which sends every repository to Maven Central, applies.
     */
    public static void downloadArtifact(String coordinates, Path directory, Path log, Duration timeout) {
        runToCompletion(List.of("mvn", "-q", "dependency:copy", "-Dartifact=" + coordinates,
                "-DoutputDirectory=" + directory.toAbsolutePath()), log, timeout);
    }

    /** The java executable of this JVM, for child JVMs. */
    public static String javaExecutable() {
        return ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /**
     * A command that runs {@code mainClass} in a new JVM with this JVM's options and classpath, and so its
     * class data sharing archive, but not the request to write one: only the JVM bin/lakehouse started
     * writes it, under a name bin/lakehouse renames.
     */
    public static List<String> sameJvm(String mainClass, List<String> jvmOptions, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(option -> !option.startsWith("-XX:ArchiveClassesAtExit"))
                .forEach(command::add);
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        return command;
    }

    private static boolean waitForExit(ProcessHandle handle, Duration timeout) {
        try {
            handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return !handle.isAlive();
        }
    }

    private Path pidFile(String name) {
        return runDir.resolve(name + ".pid");
    }
}
