package com.example.lakehouse.serve;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.example.lakehouse.table.TableDef;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The latest committed version of Delta tables, found as cheaply as a commit can be seen: a table's version is the
 * highest N of its {@code _delta_log/N.json}, and once known, a probe only asks whether the next commit file exists,
 * and if not whether the last one still does (two stats on a local disk; on S3 two HEAD requests, which s3a's
 * {@code isFile} makes where {@code exists} would also look for a folder of that name). Each table is probed at most
 * once per probe interval, however many ask, so a thousand viewers cost what one does. Works on every root Hadoop
 * reads (a local path, s3a://).
 */
final class TableVersions {
    private static final Logger LOG = LoggerFactory.getLogger(TableVersions.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The version of a table with no commit yet. */
    static final long NO_TABLE = -1;

    /** A table's version as last probed; after a failed probe, the version known before it. */
    private record Probe(long version, long probedAtNanos, boolean failed) {
    }

    private final String tableRoot;
    private final Configuration hadoop;
    private final long probeNanos;
    private final Map<String, Probe> probes = new ConcurrentHashMap<>();

    TableVersions(String tableRoot, Configuration hadoop, Duration probeInterval) {
        this.tableRoot = tableRoot;
        this.hadoop = hadoop;
        this.probeNanos = probeInterval.toNanos();
    }

    /**
     * The versions of {@code tables}, in their order, each at most one probe interval old ({@link #NO_TABLE} for a
     * table without commits); empty when a table's log could not be read, as nothing is then known. A failed probe
     * is not tried again within the interval either, so a store that fails is not asked on every request.
     */
    Optional<List<Long>> of(List<TableDef> tables) {
        List<Long> versions = new ArrayList<>(tables.size());
        for (TableDef table : tables) {
            long now = System.nanoTime();
            // one probe at a time per table, and those asking meanwhile get its result
            Probe probe = probes.compute(table.name(),
                    (name, last) -> last != null && now - last.probedAtNanos() < probeNanos ? last : probe(table, last, now));
            if (probe.failed()) {
                return Optional.empty();
            }
            versions.add(probe.version());
        }
        return Optional.of(versions);
    }

    private Probe probe(TableDef table, Probe last, long now) {
        long known = last == null ? NO_TABLE : last.version();
        Path log = new Path(table.location(tableRoot), "_delta_log");
        try {
            return new Probe(latest(log, known), now, false);
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot read the commits of {}: {}", log, e.getMessage());
            return new Probe(known, now, true);
        }
    }

    /** The latest version in {@code log}, looked for from {@code known}, the last one seen ({@link #NO_TABLE}: none). */
    private long latest(Path log, long known) throws IOException {
        FileSystem fs = log.getFileSystem(hadoop);
        long version = known;
        if (version != NO_TABLE && !committed(fs, log, version + 1)) {
            // Delta never deletes a table's latest commit file: if the one seen last is gone, the table was made again
            if (committed(fs, log, version)) {
                return version;
            }
            version = NO_TABLE;
        }
        if (version == NO_TABLE) {
            version = lastCheckpoint(fs, log);
        }
        while (committed(fs, log, version + 1)) {
            version++;
        }
        return version;
    }

    /** The version of the table's last checkpoint, from which its later commit files are all kept; none before the first. */
    private static long lastCheckpoint(FileSystem fs, Path log) throws IOException {
        Path pointer = new Path(log, "_last_checkpoint");
        if (!fs.exists(pointer)) {
            return NO_TABLE;
        }
        try (InputStream in = fs.open(pointer)) {
            return JSON.readTree(in).path("version").asLong(NO_TABLE);
        }
    }

    private static boolean committed(FileSystem fs, Path log, long version) throws IOException {
        return fs.isFile(new Path(log, String.format("%020d.json", version)));
    }
}
