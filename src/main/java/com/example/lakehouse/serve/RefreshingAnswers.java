package com.example.lakehouse.serve;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's answers, each computed at most once per refresh interval however many viewers ask: a live page
 * on fifty screens asks the same four questions every few seconds, and Trino answers each once. An answer
 * older than the interval is still served, at once, while one refresh runs in the background (stale while
 * revalidating); one older than {@link #SERVED_INTERVALS} intervals (nobody asked for a while) is not: that
 * request waits for the refresh, as the first request for an answer, or the next one after a refresh failed,
 * does, and the requests that arrive meanwhile wait for the same query. So a viewer sees figures at most two
 * intervals plus one query old, and Trino's query rate is bounded by the number of distinct answers asked
 * for. A query that takes longer than {@link #TIMEOUT} fails its waiting requests.
 */
final class RefreshingAnswers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RefreshingAnswers.class);
    /** Answers nobody asked for in this long are dropped, so odd dates asked once do not pile up. */
    private static final long UNUSED_NANOS = Duration.ofMinutes(5).toNanos();
    /** An answer this many intervals old is refreshed before it is served again. */
    private static final int SERVED_INTERVALS = 2;
    /** How long a request waits for Trino's answer. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);

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
        if (answers.size() > 200) {
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
            boolean tooOld = served != null && served.isDone() && now - servedStartedAt >= SERVED_INTERVALS * intervalNanos;
            if (tooOld && refreshing != null) {
                return refreshing;
            }
            if (served == null || served.isCompletedExceptionally() || tooOld) {
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
            return answer.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new SQLException("Trino did not answer within " + TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for Trino", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException wrapped ? wrapped.getCause() : e.getCause();
            if (cause instanceof SQLException sql) {
                throw sql;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(cause);
        }
    }
}
