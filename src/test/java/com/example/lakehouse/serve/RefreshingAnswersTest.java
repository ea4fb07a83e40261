package com.example.lakehouse.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import com.example.lakehouse.serve.RefreshingAnswers.Question;
import com.example.lakehouse.table.TableDef;
import com.example.lakehouse.table.Tables;

/**
 * Many viewers, one query per answer and interval: concurrent askers share a query, later ones get the last answer;
 * an answer reading tables is computed again when they change, before anyone asks, and only then.
 */
class RefreshingAnswersTest {
    private static final TableDef TABLE = Tables.load().dwsDauDeviceLive();
    private final AtomicInteger runs = new AtomicInteger();
    /** The version of {@link #TABLE} the answers see. */
    private final AtomicLong version = new AtomicLong();
    private final RefreshingAnswers.Versions versions = tables -> Optional.of(tables.stream().map(table -> version.get()).toList());

    /** A question reading no table. */
    private static Question question(String key, RefreshingAnswers.Query query) {
        return new Question(key, List.of(), query);
    }

    /** A question reading {@link #TABLE}. */
    private static Question ofTable(String key, RefreshingAnswers.Query query) {
        return new Question(key, List.of(TABLE), query);
    }

    /** A query taking {@code millis}, answering how many times it has run. */
    private RefreshingAnswers.Query slowQuery(long millis) {
        return () -> {
            int run = runs.incrementAndGet();
            sleep(millis);
            return run;
        };
    }

    @Test
    void viewersAskingAtOnceShareOneQuery() throws Exception {
        try (RefreshingAnswers answers = new RefreshingAnswers(Duration.ofMinutes(1))) {
            ExecutorService viewers = Executors.newFixedThreadPool(50);
            List<Future<Object>> asked = new ArrayList<>();
            for (int viewer = 0; viewer < 200; viewer++) {
                asked.add(viewers.submit(() -> answers.get(question("total 2026-12-03", slowQuery(300)))));
            }
            for (Future<Object> answer : asked) {
                assertThat(answer.get()).isEqualTo(1);
            }
            viewers.shutdown();
            assertThat(runs).hasValue(1);
            assertThat(answers.get(question("total 2026-12-02", slowQuery(0)))).as("another answer, its own query").isEqualTo(2);
            assertThat(answers.queriesRun()).isEqualTo(2);
        }
    }

    @Test
    void anOldAnswerIsServedAtOnceWhileOneRefreshRunsAndAMuchOlderOneIsNot() throws Exception {
        try (RefreshingAnswers answers = new RefreshingAnswers(Duration.ofSeconds(1))) {
            assertThat(answers.get(question("daily", slowQuery(0)))).isEqualTo(1);
            sleep(1_200);
            long asked = System.nanoTime();
            for (int viewer = 0; viewer < 20; viewer++) {
                assertThat(answers.get(question("daily", slowQuery(500)))).as("the last answer, not waiting").isEqualTo(1);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofMillis(400));
            sleep(700);
            assertThat(runs).as("one refresh for twenty viewers").hasValue(2);
            assertThat(answers.get(question("daily", slowQuery(0)))).as("the refresh's answer").isEqualTo(2);
            sleep(2_100);
            assertThat(answers.get(question("daily", slowQuery(0)))).as("two intervals old: asked again, and waited for").isEqualTo(3);
        }
    }

    @Test
    void aFailureReachesTheViewersAndTheNextAskTriesAgain() throws Exception {
        try (RefreshingAnswers answers = new RefreshingAnswers(Duration.ofMinutes(1))) {
            RefreshingAnswers.Query failing = () -> {
                runs.incrementAndGet();
                throw new SQLException("cannot reach Trino");
            };
            assertThatThrownBy(() -> answers.get(question("total", failing))).isInstanceOf(SQLException.class)
                    .hasMessage("cannot reach Trino");
            assertThat(answers.get(question("total", slowQuery(0)))).as("not kept: asked again at once").isEqualTo(2);
        }
    }

    @Test
    void anAnswerWhoseTablesDidNotChangeIsServedWithoutAQueryHoweverOld() throws Exception {
        try (RefreshingAnswers answers = new RefreshingAnswers(Duration.ofMillis(100), versions)) {
            assertThat(answers.get(ofTable("total", slowQuery(0)))).isEqualTo(1);
            sleep(600);
            for (int viewer = 0; viewer < 20; viewer++) {
                assertThat(answers.get(ofTable("total", slowQuery(0)))).isEqualTo(1);
            }
            assertThat(answers.queriesRun()).as("six intervals, no commit").isEqualTo(1);
        }
    }

    @Test
    void aCommitIsAnsweredBeforeTheNextViewerAsks() throws Exception {
        try (RefreshingAnswers answers = new RefreshingAnswers(Duration.ofMillis(200), versions)) {
            assertThat(answers.get(ofTable("total", slowQuery(0)))).isEqualTo(1);
            sleep(400);
            version.incrementAndGet();
            sleep(300); // a probe (every 50 ms) and the query, with room for a slow machine
            assertThat(runs).as("refreshed without being asked").hasValue(2);
            assertThat(answers.get(ofTable("total", slowQuery(0)))).as("at once, the commit's answer").isEqualTo(2);
        }
    }

    @Test
    void commitsFasterThanTheIntervalCostOneQueryPerInterval() throws Exception {
        try (RefreshingAnswers answers = new RefreshingAnswers(Duration.ofMillis(500), versions)) {
            answers.get(ofTable("total", slowQuery(0)));
            long end = System.nanoTime() + Duration.ofMillis(2_500).toNanos();
            while (System.nanoTime() < end) {
                version.incrementAndGet();
                answers.get(ofTable("total", slowQuery(0)));
                sleep(10);
            }
            assertThat(answers.queriesRun()).as("the first, then one per 500 ms at most").isBetween(3L, 7L);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
