package com.example.lakehouse.dev.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CreateFlag;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.permission.FsPermission;

import com.example.lakehouse.storage.InProcessLocalFileSystem;

/**
 * `bench local-commits`: what a file written the way Delta commits and Spark checkpoints a stream costs on a local
 * path (written to a temporary name through {@code FileContext}, then renamed over the file's own name), with
 * Hadoop's local file system and with {@link InProcessLocalFileSystem}: the time a file takes, and the CPU of the JVM
 * with that of the processes it started (Hadoop's {@code chmod} and {@code readlink} without its native library).
 */
public final class LocalCommitsBenchmark {
    /** Clock ticks a second in /proc's CPU times. */
    private static final double TICKS_PER_SECOND = 100;

    private LocalCommitsBenchmark() {
    }

    /** Writes {@code files} files with each file system under {@code workDir}, after as many untimed; prints one table. */
    public static void report(int files, Path workDir) {
        Configuration inProcess = new Configuration();
        InProcessLocalFileSystem.hadoopSettings().forEach(inProcess::set);
        System.out.println("| file system | ms a file | CPU ms a file, the JVM and the processes it started |");
        System.out.println("|---|---|---|");
        for (Map.Entry<String, Configuration> fileSystem : List.of(Map.entry("Hadoop's LocalFs", new Configuration()),
                Map.entry("InProcessLocalFs", inProcess))) {
            Path folder = workDir.resolve(fileSystem.getKey().replaceAll("\\W", ""));
            commit(fileSystem.getValue(), folder, files);
            double cpuBefore = cpuSeconds();
            long started = System.nanoTime();
            commit(fileSystem.getValue(), folder, files);
            System.out.printf("| %s | %.2f | %.2f |%n", fileSystem.getKey(), (System.nanoTime() - started) / 1e6 / files,
                    (cpuSeconds() - cpuBefore) * 1000 / files);
        }
    }

    /** {@code files} commit files under {@code folder}, each written to a temporary file and renamed over its name. */
    private static void commit(Configuration conf, Path folder, int files) {
        try {
            FileContext context = FileContext.getFileContext(conf);
            for (int version = 0; version < files; version++) {
                org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(folder.toUri().toString(), version + ".json");
                org.apache.hadoop.fs.Path temporary = new org.apache.hadoop.fs.Path(folder.toUri().toString(), "." + version + ".json.tmp");
                try (OutputStream out = context.create(temporary, EnumSet.of(CreateFlag.CREATE),
                        Options.CreateOpts.perms(FsPermission.getFileDefault()), Options.CreateOpts.createParent())) {
                    out.write("{\"commitInfo\":{}}".getBytes(StandardCharsets.UTF_8));
                }
                context.rename(temporary, file, Options.Rename.OVERWRITE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** CPU seconds of this JVM and of the processes it started and waited for, from /proc (Linux). */
    private static double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after the name: state is field 3; utime 14, stime 15, cutime 16, cstime 17
            long ticks = 0;
            for (int field = 14; field <= 17; field++) {
                ticks += Long.parseLong(fields[field - 3]);
            }
            return ticks / TICKS_PER_SECOND;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
