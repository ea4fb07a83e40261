package com.example.lakehouse.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CreateFlag;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.NativeCodeLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * The local file system without processes leaves what Hadoop's own leaves, answers what it answers, and starts no
 * process doing it, where Hadoop's own, without its native library, starts several.
 */
class InProcessLocalFileSystemTest {
    private static final URI LOCAL = URI.create("file:///");

    @TempDir
    java.nio.file.Path dir;

    @Test
    void theSettingsMakeFileSystemAndFileContextUseIt() throws IOException {
        Configuration conf = inProcess();
        try (FileSystem fs = FileSystem.newInstance(LOCAL, conf)) {
            assertThat(fs).isInstanceOf(InProcessLocalFileSystem.class);
        }
        assertThat(FileContext.getFileContext(LOCAL, conf).getDefaultFileSystem()).isInstanceOf(InProcessLocalFs.class);
    }

    @Test
    void writesAndRenamesAsHadoopsOwnWithoutStartingAProcess() throws Exception {
        java.nio.file.Path hadoops = dir.resolve("hadoops");
        java.nio.file.Path ours = dir.resolve("ours");
        long startedByHadoops = processesStartedBy(() -> writeAndCommit(new Configuration(), hadoops));
        long startedByOurs = processesStartedBy(() -> writeAndCommit(inProcess(), ours));

        assertThat(described(ours)).isEqualTo(described(hadoops)).hasSizeGreaterThan(4);
        assertThat(startedByOurs).isZero();
        assumeThat(NativeCodeLoader.isNativeCodeLoaded()).isFalse();
        assertThat(startedByHadoops).isGreaterThan(0); // what this file system is for
    }

    @Test
    void tellsOfFilesFoldersAndLinksAsHadoopsOwn() throws IOException {
        java.nio.file.Path file = Files.writeString(dir.resolve("file"), "text");
        java.nio.file.Path folder = Files.createDirectory(dir.resolve("folder"));
        java.nio.file.Path link = Files.createSymbolicLink(dir.resolve("link"), file);
        try (FileSystem hadoops = FileSystem.newInstance(LOCAL, new Configuration());
             FileSystem ours = FileSystem.newInstance(LOCAL, inProcess())) {
            for (java.nio.file.Path path : List.of(file, folder, link)) {
                Path named = new Path(path.toUri());
                assertThat(described(ours.getFileLinkStatus(named))).isEqualTo(described(hadoops.getFileLinkStatus(named)));
            }
            Path missing = new Path(dir.resolve("missing").toUri());
            assertThatThrownBy(() -> hadoops.getFileLinkStatus(missing)).isInstanceOf(FileNotFoundException.class);
            assertThatThrownBy(() -> ours.getFileLinkStatus(missing)).isInstanceOf(FileNotFoundException.class);
        }
    }

    private static Configuration inProcess() {
        Configuration conf = new Configuration();
        InProcessLocalFileSystem.hadoopSettings().forEach(conf::set);
        return conf;
    }

    /**
     * What a Delta commit and a Parquet write do to a local folder: a folder made with a permission, a file
     * created through FileSystem, a file created through FileContext with a permission and renamed over an older one.
     */
    private static void writeAndCommit(Configuration conf, java.nio.file.Path folder) throws IOException {
        Path root = new Path(folder.toUri());
        try (FileSystem fs = FileSystem.newInstance(LOCAL, conf)) {
            fs.mkdirs(new Path(root, "_delta_log"), new FsPermission((short) 0750));
            try (OutputStream out = fs.create(new Path(root, "part-0.parquet"))) {
                out.write("rows".getBytes(StandardCharsets.UTF_8));
            }
        }
        FileContext context = FileContext.getFileContext(LOCAL, conf);
        Path commit = new Path(root, "_delta_log/0.json");
        for (String text : List.of("older", "newer")) {
            Path temporary = new Path(root, "_delta_log/.0.json.tmp");
            try (OutputStream out = context.create(temporary, EnumSet.of(CreateFlag.CREATE),
                    Options.CreateOpts.perms(new FsPermission((short) 0640)))) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
            }
            context.rename(temporary, commit, Options.Rename.OVERWRITE);
        }
    }

    /** Processes started by this thread while {@code work} ran, as the JVM's flight recorder saw them. */
    private long processesStartedBy(Work work) throws Exception {
        java.nio.file.Path dump = dir.resolve("processes.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ProcessStart");
            recording.start();
            work.run();
            recording.stop();
            recording.dump(dump);
        }
        long thread = Thread.currentThread().getId();
        return RecordingFile.readAllEvents(dump).stream()
                .filter(event -> event.getEventType().getName().equals("jdk.ProcessStart"))
                .map(RecordedEvent::getThread)
                .filter(started -> started != null && started.getJavaThreadId() == thread)
                .count();
    }

    /** Each file and folder under {@code folder}: its path there, its permissions and its bytes. */
    private static List<String> described(java.nio.file.Path folder) throws IOException {
        List<String> described = new ArrayList<>();
        try (Stream<java.nio.file.Path> paths = Files.walk(folder)) {
            for (java.nio.file.Path path : paths.sorted().toList()) {
                described.add(folder.relativize(path) + " " + PosixFilePermissions.toString(Files.getPosixFilePermissions(path))
                        + (Files.isRegularFile(path) ? " " + HexFormat.of().formatHex(Files.readAllBytes(path)) : ""));
            }
        }
        return described;
    }

    private static String described(FileStatus status) {
        return status.getPath() + " " + status.isDirectory() + " " + status.isSymlink() + " " + status.getLen() + " "
                + status.getModificationTime();
    }

    @FunctionalInterface
    private interface Work {
        void run() throws Exception;
    }
}
