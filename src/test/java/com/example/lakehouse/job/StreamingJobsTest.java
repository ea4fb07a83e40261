package com.example.lakehouse.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class StreamingJobsTest {
    @Test
    void aBatchLineNamesItsPhasesLongestFirstWithoutTheTotal() {
        Map<String, Long> durationMs = Map.of("triggerExecution", 1068L, "addBatch", 820L, "walCommit", 31L,
                "latestOffset", 95L, "commitOffsets", 22L, "queryPlanning", 7L, "getBatch", 0L);

        assertThat(StreamingJobs.phases(durationMs))
                .isEqualTo("addBatch 820, latestOffset 95, walCommit 31, commitOffsets 22, queryPlanning 7, getBatch 0");
    }
}
