package com.example.lakehouse.dev.bench;

import java.time.Duration;

/**
 * Time since a benchmark's load began, for the phases it measures at set points of that load: its first minutes,
 * then once it has run for a while.
 */
final class LoadClock {
    private final long startedNanos = System.nanoTime();

    long secondsSinceStart() {
        return (System.nanoTime() - startedNanos) / 1_000_000_000L;
    }

    /** What is left until {@code sinceStart} has passed since the load began; zero once it has. */
    Duration leftUntil(Duration sinceStart) {
        Duration left = sinceStart.minusNanos(System.nanoTime() - startedNanos);
        return left.isNegative() ? Duration.ZERO : left;
    }
}
