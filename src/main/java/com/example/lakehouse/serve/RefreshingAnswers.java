package com.example.lakehouse.serve;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.example.lakehouse.table.TableDef;

/**
 * The API's answers, each computed when the tables it reads have changed and at most once per refresh interval,
 * however many viewers ask: a live page on fifty screens asks the same four questions every few seconds, and Trino
 * answers each once per commit of its tables. The tables' latest versions are probed a few times per interval
 * ({@link TableVersions}); an answer someone asked for lately is refreshed as soon as one of its tables has a new
 * commit, without waiting for the next viewer, so a viewer sees a commit about one probe and one query after it
 * lands, and an idle pipeline costs Trino one query per answer and {@link #UNCHANGED_REFRESH}.
 *
 * <p>An answer whose tables changed is still served, at once, while its refresh runs (stale while revalidating).
 * A request waits for Trino only for the first answer to a question, the next one after a refresh failed, one
 * older than {@link #SERVED_INTERVALS} intervals that nobody kept current (nobody asked for it for a while), or
 * one whose refresh has run that long (so a Trino that hangs shows); the requests that arrive meanwhile wait for
 * the same query, and a query that takes longer than {@link #TIMEOUT} fails them. An answer that reads no table
 * (Trino's ping, the report files) is refreshed once per interval when asked, and one whose tables did not change
 * once per {@link #UNCHANGED_REFRESH}, for what the commit files cannot show (a table made again at the same
 * version).
 */
final class RefreshingAnswers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RefreshingAnswers.class);
    /** Answers nobody asked for in this long are dropped, so odd dates asked once do not pile up. */
    private static final long UNUSED_NANOS = Duration.ofMinutes(5).toNanos();
    /** Answers asked for in this long are refreshed when their tables change, before anyone asks again. */
    private static final long WATCHED_NANOS = Duration.ofSeconds(30).toNanos();
    /** An answer this many intervals old, whose tables changed, is refreshed before it is served again. */
    private static final int SERVED_INTERVALS = 2;
    /** An answer whose tables did not change is computed again after this long all the same. */
    static final Duration UNCHANGED_REFRESH = Duration.ofMinutes(1);
    /** How long a request waits for Trino's answer. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    interface Query {
        Object run() throws SQLException;
    }

    /** A question the API answers: its key among the answers, the tables it reads, and how Trino answers it. */
    record Question(String key, List<TableDef> reads, Query query) {
    }

    /** The versions of tables now, in their order; empty when they cannot be known ({@link TableVersions#of}). */
    interface Versions {
        Optional<List<Long>> of(List<TableDef> tables);
    }

    private final long intervalNanos;
    private final Versions versions;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    /** Trino's queries run here, at most this many at once; viewers only wait on their results. */
    private final ExecutorService queries = Executors.newFixedThreadPool(4, daemon("api-query"));
    /** Looks for new commits of the watched answers' tables, a few times per interval. */
    private final ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(daemon("api-watch"));
    private final AtomicLong queriesRun = new AtomicLong();

    /** Answers refreshed at most once per {@code interval}, when asked, whatever they read (files, Trino's ping). */
    RefreshingAnswers(Duration interval) {
        this(interval, tables -> Optional.empty());
    }

    /**
     * Answers refreshed at most once per {@code interval}, and only when the {@code versions} of their tables move;
     * the watcher looks for that every {@link #probeInterval}, which is also as old as the versions may be.
     */
    RefreshingAnswers(Duration interval, Versions versions) {
        this.intervalNanos = interval.toNanos();
        this.versions = versions;
        long probeMillis = probeInterval(interval).toMillis();
        watcher.scheduleWithFixedDelay(this::refreshWatched, probeMillis, probeMillis, TimeUnit.MILLISECONDS);
    }

    /** How often the tables' commits are looked for: four times per refresh interval. */
    static Duration probeInterval(Duration interval) {
        return Duration.ofMillis(Math.max(10, interval.toMillis() / 4));
    }

    /** The answer to {@code question}, from its query run when its tables changed, at most once per interval. */
    Object get(Question question) throws SQLException {
        long now = System.nanoTime();
        if (answers.size() > 200) {
            answers.values().removeIf(answer -> now - answer.lastAskedAt > UNUSED_NANOS);
        }
        // the tables' versions probed before the answer's lock is taken: a slow store delays this request only
        Optional<List<Long>> current = versions.of(question.reads());
        return join(answers.computeIfAbsent(question.key(), unused -> new Answer()).asked(question, current, now));
    }

    /** How many queries the answers have run so far. */
    long queriesRun() {
        return queriesRun.get();
    }

    /** Lets running queries finish (their threads are daemons) and starts no other. */
    @Override
    public void close() {
        watcher.shutdownNow();
        queries.shutdown();
    }

    private void refreshWatched() {
        try {
            long now = System.nanoTime();
            answers.values().forEach(answer -> {
                Question watched = answer.watched(now);
                if (watched != null) {
                    answer.refreshIfWatched(watched, versions.of(watched.reads()), now);
                }
            });
        } catch (RuntimeException e) { // a failure here must not end the watcher
            LOG.warn("looking for new commits failed: {}", e.getMessage());
        }
    }

    /** A query's result, when the query started, and the versions of the tables it read then. */
    private record Computed(CompletableFuture<Object> result, long startedAt, Optional<List<Long>> versions) {
    }

    /** One answer: the result served, and the refresh running, if any. */
    private final class Answer {
        private Question question;
        private Computed served;
        private Computed refreshing;
        private volatile long lastAskedAt;

        synchronized CompletableFuture<Object> asked(Question asked, Optional<List<Long>> current, long now) {
            boolean keptCurrent = question != null && !asked.reads().isEmpty() && now - lastAskedAt < WATCHED_NANOS;
            question = asked;
            lastAskedAt = now;
            if (served == null || served.result().isCompletedExceptionally()) {
                // nothing to serve: this request and those arriving while the query runs wait for it
                served = compute(current, now);
                return served.result();
            }
            if (!served.result().isDone()) {
                return served.result();
            }
            long tooOld = SERVED_INTERVALS * intervalNanos;
            if (refreshing != null && now - refreshing.startedAt() >= tooOld) {
                // a refresh this slow is waited for, up to TIMEOUT, so a Trino that hangs shows
                return refreshing.result();
            }
            if (refreshing == null && !keptCurrent && moved(current) && now - served.startedAt() >= tooOld) {
                // too old to serve, and nobody kept it current (asked for a while ago): this request waits for a refresh
                served = compute(current, now);
                return served.result();
            }
            refreshIfDue(current, now);
            return served.result();
        }

        /** The answer's question if it was asked for lately and computed well, so the watcher keeps it current; else null. */
        synchronized Question watched(long now) {
            boolean computed = served != null && served.result().isDone() && !served.result().isCompletedExceptionally();
            return computed && !question.reads().isEmpty() && now - lastAskedAt < WATCHED_NANOS ? question : null;
        }

        /** Refreshes a watched answer if due, {@code current} the versions of its tables probed just before. */
        synchronized void refreshIfWatched(Question watched, Optional<List<Long>> current, long now) {
            if (watched == question && watched(now) != null) {
                refreshIfDue(current, now);
            }
        }

        /** Whether the tables' versions now are not those the served answer read: also when unknown, or it reads no table. */
        private boolean moved(Optional<List<Long>> current) {
            return question.reads().isEmpty() || current.isEmpty() || !current.equals(served.versions());
        }

        /**
         * Starts one refresh in the background, the served answer's interval past, if its tables moved or it is
         * {@link #UNCHANGED_REFRESH} old; never two at once.
         */
        private void refreshIfDue(Optional<List<Long>> current, long now) {
            long age = now - served.startedAt();
            if (refreshing == null && age >= intervalNanos && (moved(current) || age >= UNCHANGED_REFRESH.toNanos())) {
                Computed refresh = compute(current, now);
                refreshing = refresh;
                refresh.result().whenComplete((result, failure) -> refreshed(refresh, failure));
            }
        }

        private Computed compute(Optional<List<Long>> versionsRead, long now) {
            return new Computed(run(question.query()), now, versionsRead);
        }

        private synchronized void refreshed(Computed refresh, Throwable failure) {
            refreshing = null;
            served = refresh; // a failed refresh is served too: the next request asks Trino again, and waits
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

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
