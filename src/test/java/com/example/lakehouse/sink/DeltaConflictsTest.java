package com.example.lakehouse.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.delta.exceptions.ConcurrentAppendException;

class DeltaConflictsTest {
    @Test
    void aWriteThatConflictsIsRunAgainUntilItCommits() {
        AtomicInteger attempts = new AtomicInteger();

        DeltaConflicts.retry("test write", () -> {
            if (attempts.incrementAndGet() < 3) {
                throw new ConcurrentAppendException("files were added by a concurrent update");
            }
        });

        assertThat(attempts).hasValue(3);
    }

    @Test
    void anyOtherFailureIsNotRetried() {
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> DeltaConflicts.retry("test write", () -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("disk full");
        })).hasMessage("disk full");

        assertThat(attempts).hasValue(1);
    }
}
