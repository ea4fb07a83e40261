package com.example.lakehouse.format.applog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import com.example.lakehouse.AppLogs;

class AppLogValidatorTest {
    private static String problem(String message) {
        return AppLogValidator.problemWith(message == null ? null : message.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void acceptsStartAndPageLogs() {
        assertThat(problem(AppLogs.start("mid_1", 1700000000000L))).isNull();
        assertThat(problem(AppLogs.page("mid_1", 1700000000000L, "home", null))).isNull();
    }

    @Test
    void rejectsEachBrokenShapeWithItsReason() {
        assertThat(problem(null)).isEqualTo("null value (a Kafka tombstone)");
        assertThat(problem("")).isEqualTo("empty message");
        assertThat(problem("{\"common\":{\"mid\":")).startsWith("invalid JSON:");
        assertThat(problem("<html>502</html>")).startsWith("invalid JSON:");
        assertThat(problem("[1,2]")).isEqualTo("not a JSON object");
        assertThat(problem("{\"common\":{},\"start\":{},\"ts\":1700000000000}")).isEqualTo("missing common.mid");
        assertThat(problem("{\"common\":{\"mid\":\"  \"},\"start\":{},\"ts\":1700000000000}")).isEqualTo("missing common.mid");
        assertThat(problem("{\"common\":{\"mid\":\"m\"},\"start\":{}}")).isEqualTo("missing or non-integer ts");
        assertThat(problem("{\"common\":{\"mid\":\"m\"},\"start\":{},\"ts\":\"1700000000000\"}"))
                .isEqualTo("missing or non-integer ts");
        assertThat(problem("{\"common\":{\"mid\":\"m\"},\"start\":{},\"ts\":1700000000}"))
                .isEqualTo("ts 1700000000 is not epoch milliseconds between 2000 and 2100");
        assertThat(problem("{\"common\":{\"mid\":\"m\"},\"ts\":1700000000000}")).startsWith("no event section");
    }
}
