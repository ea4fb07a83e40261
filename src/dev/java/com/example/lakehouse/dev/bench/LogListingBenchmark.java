package com.example.lakehouse.dev.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;

import com.example.lakehouse.storage.LocalTableLogStore;

import io.delta.storage.HDFSLogStore;
import io.delta.storage.LogStore;

/**
 * `bench log-listing`: what one listing of a local table's Delta log costs as the log grows, with Delta's own store
 * for local tables and with {@link LocalTableLogStore}. Delta lists a log from its last checkpoint each time it looks
 * for newer commits (a read of the table, a write's transaction, a stream's trigger); a table committed every
 * second holds 86,400 commits a day, two files each, until its log retention (30 days by default). The logs here
 * are the files' names alone (empty files): a listing reads names and statuses, never contents.
 */
public final class LogListingBenchmark {
    /** Listings timed per log and store, after as many untimed ones. */
    private static final int LISTINGS = 20;
    /** Commits after the last checkpoint, where Delta lists from: the sink checkpoints every ten commits. */
    private static final int SINCE_CHECKPOINT = 10;

    private LogListingBenchmark() {
    }

    /** Lists logs of each of {@code commits} commits under {@code workDir}; prints one table row per log. */
    public static void report(List<Integer> commits, Path workDir) {
        Configuration hadoopConf = new Configuration();
        List<LogStore> stores = List.of(new HDFSLogStore(hadoopConf), new LocalTableLogStore(hadoopConf));
        System.out.println("| commits in the log | files | Delta's HDFSLogStore, ms a listing | LocalTableLogStore, ms a listing | ratio |");
        System.out.println("|---|---|---|---|---|");
        for (int count : commits) {
            Path log = logOf(workDir.resolve("table-" + count), count);
            org.apache.hadoop.fs.Path from = new org.apache.hadoop.fs.Path(log.toUri().toString(),
                    commitFile(Math.max(0, count - SINCE_CHECKPOINT), "json"));
            double[] millis = stores.stream().mapToDouble(store -> millisPerListing(store, from, hadoopConf)).toArray();
            System.out.printf("| %,d | %,d | %.2f | %.2f | %.1f |%n", count, 2L * count, millis[0], millis[1], millis[0] / millis[1]);
        }
    }

    /** A table's _delta_log folder holding {@code count} commits' file names: a commit's JSON and its checksum. */
    private static Path logOf(Path table, int count) {
        try {
            Path log = Files.createDirectories(table.resolve("_delta_log"));
            for (int version = 0; version < count; version++) {
                Files.createFile(log.resolve(commitFile(version, "json")));
                Files.createFile(log.resolve(commitFile(version, "crc")));
            }
            return log;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String commitFile(int version, String extension) {
        return String.format("%020d.%s", version, extension);
    }

    private static double millisPerListing(LogStore store, org.apache.hadoop.fs.Path from, Configuration hadoopConf) {
        for (int i = 0; i < LISTINGS; i++) {
            listAll(store, from, hadoopConf);
        }
        long started = System.nanoTime();
        for (int i = 0; i < LISTINGS; i++) {
            listAll(store, from, hadoopConf);
        }
        return (System.nanoTime() - started) / 1e6 / LISTINGS;
    }

    private static void listAll(LogStore store, org.apache.hadoop.fs.Path from, Configuration hadoopConf) {
        try {
            Iterator<FileStatus> listed = store.listFrom(from, hadoopConf);
            while (listed.hasNext()) {
                listed.next();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
