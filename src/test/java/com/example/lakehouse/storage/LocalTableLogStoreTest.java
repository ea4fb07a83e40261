package com.example.lakehouse.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.delta.storage.HDFSLogStore;

/** The local tables' log store lists what Delta's own store for them lists, file for file. */
class LocalTableLogStoreTest {
    private final Configuration conf = new Configuration();

    @TempDir
    java.nio.file.Path dir;

    @Test
    void listsFromAVersionWhatDeltasOwnStoreLists() throws IOException {
        FileSystem fs = FileSystem.getLocal(conf);
        Path log = new Path(dir.toUri().toString(), "_delta_log");
        // written through the local file system, so each file has its hidden checksum file beside it
        for (int version = 0; version < 25; version++) {
            write(fs, new Path(log, commit(version)), "{\"commitInfo\":{}}");
            write(fs, new Path(log, String.format("%020d.crc", version)), "{}");
        }
        write(fs, new Path(log, String.format("%020d.checkpoint.parquet", 20)), "not read");
        write(fs, new Path(log, "_last_checkpoint"), "{\"version\":20}");
        fs.mkdirs(new Path(log, "_staged_commits"));

        for (int from : List.of(0, 13, 20, 24, 99)) {
            Path start = new Path(log, commit(from));
            assertThat(described(new LocalTableLogStore(conf).listFrom(start, conf)))
                    .isEqualTo(described(new HDFSLogStore(conf).listFrom(start, conf)))
                    .isNotEmpty(); // _last_checkpoint and _staged_commits sort after every version
        }
    }

    @Test
    void aMissingLogIsNotFoundAsWithDeltasOwnStore() {
        Path start = new Path(new Path(dir.toUri().toString(), "no_table/_delta_log"), commit(0));
        assertThatThrownBy(() -> new HDFSLogStore(conf).listFrom(start, conf)).isInstanceOf(FileNotFoundException.class);
        assertThatThrownBy(() -> new LocalTableLogStore(conf).listFrom(start, conf)).isInstanceOf(FileNotFoundException.class);
    }

    private static String commit(int version) {
        return String.format("%020d.json", version);
    }

    private static void write(FileSystem fs, Path file, String text) throws IOException {
        try (OutputStream out = fs.create(file)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Each status as what Delta reads of it: path, kind, length, modification time. */
    private static List<String> described(Iterator<FileStatus> statuses) {
        List<String> described = new ArrayList<>();
        statuses.forEachRemaining(status -> described.add(status.getPath() + " " + status.isDirectory() + " "
                + status.getLen() + " " + status.getModificationTime()));
        return described;
    }
}
