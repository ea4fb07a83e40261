package com.example.lakehouse.serve;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's answers, each computed at most once per refresh interval however many viewers ask: a live page
 * on fifty screens asks the same four questions every few seconds, and Trino answers each once. An answer
 * older than the interval is still served, at once, while one refresh runs in the background (stale while
 * revalidating); only the first request for an answer, or the next one after a refresh failed, waits for
 * Trino, and the requests that arrive meanwhile wait for the same query. So a viewer sees figures at most an
 * interval plus one query old, and Trino's query rate is bounded by the number of distinct answers asked for.
 */
final class RefreshingAnswers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RefreshingAnswers.class);
    /** Answers nobody asked for in this long are dropped, so odd dates asked once do not pile up. */
    private static final long UNUSED_NANOS = Duration.ofMinutes(5).toNanos();

    interface Query {
        Object run() throws SQLException;
    }

    private final long intervalNanos;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    /** Trino's queries run here, at most this many at once; viewers only wait on their results. */
    private final ExecutorService queries = Executors.newFixedThreadPool(4, runnable -> {
        Thread thread = new Thread(runnable, "api-query");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLong queriesRun = new AtomicLong();

    RefreshingAnswers(Duration interval) {
        this.intervalNanos = interval.toNanos();
    }

    /** The answer for {@code key}, from {@code query} run at most once per interval. */
    Object get(String key, Query query) throws SQLException {
        long now = System.nanoTime();
        if (answers.size() > 1_000) {
            answers.values().removeIf(answer -> now - answer.lastAskedAt > UNUSED_NANOS);
        }
        return join(answers.computeIfAbsent(key, unused -> new Answer()).current(query, now));
    }

    /** How many queries the answers have run so far. */
    long queriesRun() {
        return queriesRun.get();
    }

    /** Lets running queries finish (their threads are daemons) and starts no other. */
    @Override
    public void close() {
        queries.shutdown();
    }

    /** One answer: the result served, and the refresh running, if any. */
    private final class Answer {
        private CompletableFuture<Object> served;
        private long servedStartedAt;
        private CompletableFuture<Object> refreshing;
        private volatile long lastAskedAt;

        synchronized CompletableFuture<Object> current(Query query, long now) {
            lastAskedAt = now;
            if (served == null || served.isCompletedExceptionally()) {
                // nothing to serve: this request and those arriving while the query runs wait for it
                served = run(query);
                servedStartedAt = now;
            } else if (refreshing == null && served.isDone() && now - servedStartedAt >= intervalNanos) {
                CompletableFuture<Object> refresh = run(query);
                refreshing = refresh;
                refresh.whenComplete((result, failure) -> refreshed(refresh, now, failure));
            }
            return served;
        }

        private synchronized void refreshed(CompletableFuture<Object> refresh, long startedAt, Throwable failure) {
            refreshing = null;
            served = refresh; // a failed refresh is served too: the next request asks Trino again, and waits
            servedStartedAt = startedAt;
            if (failure != null) {
                LOG.warn("refreshing an answer failed: {}", failure.getMessage());
            }
        }
    }

    private CompletableFuture<Object> run(Query query) {
        return CompletableFuture.supplyAsync(() -> {
            queriesRun.incrementAndGet();
            try {
                return query.run();
            } catch (SQLException e) {
                throw new CompletionException(e);
            }
        }, queries);
    }

    private static Object join(CompletableFuture<Object> answer) throws SQLException {
        try {
            return answer.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }
}
