package com.example.lakehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

import org.junit.jupiter.api.Test;

import com.example.lakehouse.SparkStandaloneCluster;
import com.example.lakehouse.process.ProcessSupervisor;

/**
 * The developer tooling (demo, generators, benchmarks, the local servers, Jedis) stays out of the jars a
 * deployment runs, and the CLI in the production jar works without it.
 */
class ProductionJarIT {
    private static final Path PRODUCTION_JAR = Path.of("target/dau-lakehouse-0.1.0-SNAPSHOT.jar");

    @Test
    void theJarsHoldThePipelineButNotTheTooling() throws IOException {
        for (Path jar : List.of(PRODUCTION_JAR, SparkStandaloneCluster.CLUSTER_JAR)) {
            List<String> entries = entries(jar);
            assertThat(entries).as(jar.toString()).contains("com/example/lakehouse/job/AppLogIngestJob.class",
                    "com/example/lakehouse/cli/LakehouseCli.class", "sql/dws/dws_dau_device_day.sql");
            assertThat(entries).as(jar.toString()).noneMatch(entry -> entry.startsWith("com/example/lakehouse/dev/")
                    || entry.startsWith("com/example/lakehouse/stack/") || entry.startsWith("redis/clients/")
                    || entry.endsWith("com.example.lakehouse.cli.ExtraCommands"));
        }
    }

    @Test
    void theProductionCliRunsWithoutTheTooling() throws Exception {
        String classpath = PRODUCTION_JAR.toAbsolutePath() + ":" + Files.readString(Path.of("target/runtime-classpath.txt")).trim();
        Process cli = new ProcessBuilder(ProcessSupervisor.javaExecutable(), "-cp", classpath,
                LakehouseCli.class.getName(), "--help").redirectErrorStream(true).start();
        assertThat(cli.waitFor(2, TimeUnit.MINUTES)).isTrue();
        String help = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(cli.exitValue()).as(help).isZero();
        assertThat(help).contains("  run ", "  ingest ", "  register-tables ").doesNotContain("  kafka ", "  trino ", "  mariadb ",
                "  maxwell ", "  s3 ", "  demo ", "  bench ", "  generate ");
    }

    private static List<String> entries(Path jar) throws IOException {
        assertThat(jar).as("built by `mvn package` (and the cluster jar by `mvn -Pcluster package`, as bin/test does)").exists();
        try (JarFile file = new JarFile(jar.toFile())) {
            return Collections.list(file.entries()).stream().map(ZipEntry::getName).toList();
        }
    }
}
