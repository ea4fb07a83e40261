package com.example.lakehouse.sink;

import org.apache.spark.sql.delta.DeltaConcurrentModificationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a Delta write again when a concurrent commit conflicts with it, as OPTIMIZE and a streaming keyed write
 * into the same partitions do (ConcurrentAppend, ConcurrentDeleteRead, ...). Safe because every write
 * of the lakehouse is idempotent: the retry reads the new table version and changes only what is
 * still to change. Without it, maintenance would kill the stream it runs beside.
 */
public final class DeltaConflicts {
    private static final Logger LOG = LoggerFactory.getLogger(DeltaConflicts.class);
    private static final int MAX_ATTEMPTS = 8;
    private static final long FIRST_BACKOFF_MS = 500;

    private DeltaConflicts() {
    }

    /** Runs {@code write}; on a conflict, waits (0.5 s, doubling, with jitter) and runs it again, up to 8 times. */
    public static void retry(String what, Runnable write) {
        long backoff = FIRST_BACKOFF_MS;
        for (int attempt = 1; ; attempt++) {
            try {
                write.run();
                return;
            } catch (DeltaConcurrentModificationException conflict) {
                if (attempt == MAX_ATTEMPTS) {
                    throw conflict;
                }
                long wait = backoff + (long) (Math.random() * backoff);
                LOG.warn("{} conflicted with a concurrent commit ({}); attempt {} of {} in {} ms", what,
                        conflict.getClass().getSimpleName(), attempt + 1, MAX_ATTEMPTS, wait);
                sleep(wait);
                backoff *= 2;
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry a Delta write", e);
        }
    }
}
