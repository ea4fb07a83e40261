package com.example.lakehouse.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobStateTest {
    @TempDir
    Path runDir;

    @Test
    void writersAtTheSameTimeEachReplaceTheLineWhole() {
        // a job's stop writes its state from the shutdown hook and from the job's own thread at once
        JobState state = new JobState(runDir, "ingest_cdc");
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<Void>> writes = IntStream.range(0, 400).mapToObj(i -> CompletableFuture.runAsync(
                    () -> state.write(JobState.Phase.STOPPED, null), threads)).toList();
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
        } finally {
            threads.shutdown();
        }
        assertThat(state.read()).get().extracting(JobState.Entry::phase).isEqualTo(JobState.Phase.STOPPED);
        assertThat(runDir.toFile().list()).containsExactly("ingest_cdc.state");
    }
}
