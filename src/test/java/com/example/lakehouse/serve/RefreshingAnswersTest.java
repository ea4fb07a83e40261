package com.example.lakehouse.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** Many viewers, one query per answer and interval: concurrent askers share a query, later ones get the last answer. */
class RefreshingAnswersTest {
    private final AtomicInteger runs = new AtomicInteger();

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
                asked.add(viewers.submit(() -> answers.get("total 2026-12-03", slowQuery(300))));
            }
            for (Future<Object> answer : asked) {
                assertThat(answer.get()).isEqualTo(1);
            }
            viewers.shutdown();
            assertThat(runs).hasValue(1);
            assertThat(answers.get("total 2026-12-02", slowQuery(0))).as("another answer, its own query").isEqualTo(2);
            assertThat(answers.queriesRun()).isEqualTo(2);
        }
    }

    @Test
    void anOldAnswerIsServedAtOnceWhileOneRefreshRunsAndAMuchOlderOneIsNot() throws Exception {
        try (RefreshingAnswers answers = new RefreshingAnswers(Duration.ofSeconds(1))) {
            assertThat(answers.get("daily", slowQuery(0))).isEqualTo(1);
            sleep(1_200);
            long asked = System.nanoTime();
            for (int viewer = 0; viewer < 20; viewer++) {
                assertThat(answers.get("daily", slowQuery(500))).as("the last answer, not waiting").isEqualTo(1);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofMillis(400));
            sleep(700);
            assertThat(runs).as("one refresh for twenty viewers").hasValue(2);
            assertThat(answers.get("daily", slowQuery(0))).as("the refresh's answer").isEqualTo(2);
            sleep(2_100);
            assertThat(answers.get("daily", slowQuery(0))).as("two intervals old: asked again, and waited for").isEqualTo(3);
        }
    }

    @Test
    void aFailureReachesTheViewersAndTheNextAskTriesAgain() throws Exception {
        try (RefreshingAnswers answers = new RefreshingAnswers(Duration.ofMinutes(1))) {
            RefreshingAnswers.Query failing = () -> {
                runs.incrementAndGet();
                throw new SQLException("cannot reach Trino");
            };
            assertThatThrownBy(() -> answers.get("total", failing)).isInstanceOf(SQLException.class)
                    .hasMessage("cannot reach Trino");
            assertThat(answers.get("total", slowQuery(0))).as("not kept: asked again at once").isEqualTo(2);
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
