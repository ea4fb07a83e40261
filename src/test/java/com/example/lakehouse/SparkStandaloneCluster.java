package com.example.lakehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.example.lakehouse.dev.stack.LocalServer;
import com.example.lakehouse.process.ProcessSupervisor;

/**
 * A real Spark standalone cluster on 127.0.0.1: a master and a worker, each its own JVM, whose executors
 * are separate JVMs too. Its SPARK_HOME/jars holds what a cluster provides to the cluster jar (Spark,
 * Hadoop with hadoop-aws, the AWS SDK modules: tools/spark-home, at the versions this build resolved).
 * Applications are submitted with Spark's own SparkSubmit in client mode, as `spark-submit` runs it.
 */
public final class SparkStandaloneCluster implements AutoCloseable {
    public static final Path CLUSTER_JAR = Path.of("target/dau-lakehouse-cluster.jar");

    private final Path home;
    private final String classpath;
    private final ProcessSupervisor supervisor;
    private final String masterUrl;

    private SparkStandaloneCluster(Path home, String classpath, String masterUrl) {
        this.home = home;
        this.classpath = classpath;
        this.supervisor = new ProcessSupervisor(home.resolve("run"));
        this.masterUrl = masterUrl;
    }

    /** Starts a master and one worker (2 cores, 3 GB) and waits until the worker has registered. */
    public static SparkStandaloneCluster start(Path home) throws IOException, InterruptedException {
        assertThat(CLUSTER_JAR).as("the cluster jar: run `mvn -Pcluster -DskipTests package` first (bin/test does)").exists();
        Path classpathFile = home.resolve("classpath.txt").toAbsolutePath();
        ProcessSupervisor.runToCompletion(List.of("mvn", "-B", "-q", "-f", "tools/spark-home/pom.xml", "dependency:build-classpath",
                "-Dspark.version=" + org.apache.spark.package$.MODULE$.SPARK_VERSION(),
                "-Dhadoop.version=" + org.apache.hadoop.util.VersionInfo.getVersion(),
                "-Daws-sdk.version=" + software.amazon.awssdk.core.util.VersionInfo.SDK_VERSION,
                "-Dmdep.outputFile=" + classpathFile), home.resolve("maven.log"), Duration.ofMinutes(10));
        String classpath = Files.readString(classpathFile).strip();
        Path jars = Files.createDirectories(home.resolve("jars"));
        for (String jar : classpath.split(":")) {
            Files.createSymbolicLink(jars.resolve(Path.of(jar).getFileName()), Path.of(jar));
        }
        int port = LocalServer.freePort();
        SparkStandaloneCluster cluster = new SparkStandaloneCluster(home, classpath, "spark://127.0.0.1:" + port);
        cluster.launch("spark-master", "org.apache.spark.deploy.master.Master",
                List.of("--host", "127.0.0.1", "--port", String.valueOf(port), "--webui-port", String.valueOf(LocalServer.freePort())));
        cluster.awaitPort(port, Duration.ofMinutes(2));
        cluster.launch("spark-worker", "org.apache.spark.deploy.worker.Worker",
                List.of("--host", "127.0.0.1", "--cores", "2", "--memory", "3g", "--webui-port", String.valueOf(LocalServer.freePort()),
                        "--work-dir", home.resolve("work").toString(), cluster.masterUrl));
        cluster.awaitLog("spark-master", "Registering worker", Duration.ofMinutes(2));
        return cluster;
    }

    /**
     * Submits the cluster jar with {@code args} (client mode: the driver is a new JVM here, the executors
     * run on the worker) and waits for it to finish; fails with the driver's log if it does not exit 0.
     */
    public void submit(String name, List<String> args, Duration timeout) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(java("org.apache.spark.deploy.SparkSubmit"));
        command.addAll(List.of("--master", masterUrl, "--deploy-mode", "client", "--name", name,
                "--class", "com.example.lakehouse.cli.LakehouseCli",
                "--conf", "spark.executor.memory=1g", "--conf", "spark.cores.max=2",
                "--conf", "spark.driver.host=127.0.0.1",
                CLUSTER_JAR.toAbsolutePath().toString()));
        command.addAll(args);
        Path log = home.resolve("run").resolve(name + ".log");
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        assertThat(finished && process.exitValue() == 0).as("%s: %s", name, tail(log)).isTrue();
    }

    /** The executors' logs the worker kept: one folder per executor of each application. */
    public List<Path> executorLogs() throws IOException {
        try (Stream<Path> files = Files.walk(home.resolve("work"))) {
            return files.filter(file -> file.getFileName().toString().equals("stderr")).toList();
        }
    }

    @Override
    public void close() {
        supervisor.stop("spark-worker", Duration.ofSeconds(30));
        supervisor.stop("spark-master", Duration.ofSeconds(30));
    }

    private void launch(String name, String mainClass, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(java(mainClass));
        command.addAll(args);
        supervisor.start(name, command);
    }

    /** A JVM of the cluster; SPARK_HOME tells the worker where the executors' jars are. */
    private List<String> java(String mainClass) throws IOException {
        List<String> command = new ArrayList<>(List.of("env", "SPARK_HOME=" + home.toAbsolutePath(),
                "SPARK_SCALA_VERSION=2.13", "SPARK_LOCAL_IP=127.0.0.1"));
        command.add(ProcessSupervisor.javaExecutable());
        // Spark's --add-opens and the rest of the launcher's JVM options
        command.addAll(Files.readAllLines(Path.of("conf/jvm.options")).stream().filter(line -> !line.isBlank()).toList());
        command.addAll(List.of("-Xmx1g", "-cp", classpath, mainClass));
        return command;
    }

    private void awaitPort(int port, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(250);
            }
        }
        throw new IllegalStateException("the Spark master did not listen on " + port + ": " + supervisor.logTail("spark-master", 30));
    }

    private void awaitLog(String name, String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!supervisor.logTail(name, 2000).contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " never logged '" + text + "': " + supervisor.logTail("spark-worker", 30));
            }
            Thread.sleep(250);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
