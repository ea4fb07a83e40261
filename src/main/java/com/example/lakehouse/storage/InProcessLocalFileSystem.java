package com.example.lakehouse.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Hadoop's local file system ({@code file:}), but for two calls it makes on every file it writes. Without Hadoop's
 * native library, which no Maven artifact carries, Hadoop sets a new file's permissions by starting a {@code chmod}
 * process, and each rename through {@code FileContext} (every Delta commit, checksum and streaming checkpoint file)
 * starts {@code readlink} processes to see whether the paths are links: a running CDC ingest started 25 processes a
 * second, and a file written and renamed so took 32 ms (`bench local-commits`, docs/benchmarks.md). Here both are
 * system calls made by the JVM (java.nio), with the same outcome. {@link #hadoopSettings} names this class and
 * {@link InProcessLocalFs}, its twin for {@code FileContext}.
 */
public class InProcessLocalFileSystem extends LocalFileSystem {
    /** {@link #hadoopSettings}, known once: Hadoop's class loader does not change in a JVM. */
    private static final Map<String, String> HADOOP_SETTINGS = settingsIfHadoopLoadsThem();

    /**
     * The Hadoop settings that make {@code FileSystem} and {@code FileContext} use these classes for {@code file:}, in a
     * JVM whose Hadoop can load them: none under {@code spark-submit}, which loads an application's jar apart from
     * Hadoop. A cluster's executors cannot load them either, so a Spark session sets them only for a local master; a
     * Hadoop installed on a cluster carries its native library anyway.
     */
    public static Map<String, String> hadoopSettings() {
        return HADOOP_SETTINGS;
    }

    private static Map<String, String> settingsIfHadoopLoadsThem() {
        try {
            Class.forName(InProcessLocalFileSystem.class.getName(), false, Configuration.class.getClassLoader());
        } catch (ClassNotFoundException notSeenByHadoop) {
            return Map.of();
        }
        return Map.of("fs.file.impl", InProcessLocalFileSystem.class.getName(),
                "fs.AbstractFileSystem.file.impl", InProcessLocalFs.class.getName());
    }

    public InProcessLocalFileSystem() {
        super(new Raw());
    }

    /** Hadoop's raw local file system, permissions set and links told apart in the JVM. */
    public static class Raw extends RawLocalFileSystem {
        /** {@code chmod} as a system call; a sticky bit, which java.nio cannot set, as Hadoop does it. */
        @Override
        public void setPermission(Path path, FsPermission permission) throws IOException {
            if (permission.getStickyBit()) {
                super.setPermission(path, permission);
                return;
            }
            Set<PosixFilePermission> posix = PosixFilePermissions.fromString(permission.getUserAction().SYMBOL
                    + permission.getGroupAction().SYMBOL + permission.getOtherAction().SYMBOL);
            try {
                Files.setPosixFilePermissions(pathToFile(path).toPath(), posix);
            } catch (UnsupportedOperationException notPosix) {
                super.setPermission(path, permission);
            }
        }

        /**
         * A file's or folder's status, as Hadoop gives it for a path that is not a link; a link, Hadoop's own answer.
         * Hadoop runs {@code readlink} to tell them apart, and for a path with a scheme it gives that command
         * "file:/..." which no file is named, so every such path passed as no link.
         */
        @Override
        public FileStatus getFileLinkStatus(Path path) throws IOException {
            if (Files.isSymbolicLink(pathToFile(path).toPath())) {
                return super.getFileLinkStatus(path);
            }
            return getFileStatus(path);
        }
    }
}
