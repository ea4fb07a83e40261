package com.example.lakehouse.dev.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.example.lakehouse.format.applog.AppLogValidator;
import com.fasterxml.jackson.databind.ObjectMapper;

class AppLogGeneratorTest {
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final AppLogGenerator.Settings SETTINGS =
            new AppLogGenerator.Settings(200, 2, LocalDate.of(2024, 3, 1), ZONE, 11, 0.3, 0.05, 0.02);

    @Test
    void sameSettingsGiveTheSameBytesInTheSameOrder() {
        List<GeneratedMessage> first = AppLogGenerator.generate(SETTINGS);
        List<GeneratedMessage> second = AppLogGenerator.generate(SETTINGS);
        assertThat(second).hasSameSizeAs(first);
        for (int i = 0; i < first.size(); i++) {
            assertThat(second.get(i).value()).isEqualTo(first.get(i).value());
        }
    }

    @Test
    void producesRetriesLateEventsAndMalformedMessagesTheValidatorAgreesWith() throws Exception {
        List<GeneratedMessage> messages = AppLogGenerator.generate(SETTINGS);
        Set<ByteBuffer> distinct = new HashSet<>();
        messages.forEach(message -> distinct.add(ByteBuffer.wrap(message.value())));
        double resent = (messages.size() - distinct.size()) / (double) distinct.size();
        assertThat(resent).isBetween(0.25, 0.35);

        ObjectMapper json = new ObjectMapper();
        long lastDayEnd = Long.MIN_VALUE;
        int late = 0;
        for (GeneratedMessage message : messages) {
            assertThat(AppLogValidator.problemWith(message.value()) == null).isEqualTo(message.valid());
            if (message.valid()) {
                long ts = json.readTree(message.value()).get("ts").asLong();
                LocalDate day = Instant.ofEpochMilli(ts).atZone(ZONE).toLocalDate();
                long dayEnd = day.plusDays(1).atStartOfDay(ZONE).toInstant().toEpochMilli();
                if (dayEnd <= lastDayEnd) {
                    late++; // sent after a message of a later day
                }
                lastDayEnd = Math.max(lastDayEnd, dayEnd);
            }
        }
        assertThat(late).isPositive();
        assertThat(messages.stream().filter(message -> !message.valid()).count()).isPositive();
    }

    @Test
    void nothingHappensAfterTheCutoffAndEveryDayBeforeItIsWhole() throws Exception {
        Instant noonOfTheSecondDay = LocalDate.of(2024, 3, 2).atTime(12, 0).atZone(ZONE).toInstant();
        AppLogGenerator.Settings untilNoon = new AppLogGenerator.Settings(200, 2, LocalDate.of(2024, 3, 1), ZONE, 11,
                0.3, 0.05, 0.02, noonOfTheSecondDay);
        ObjectMapper json = new ObjectMapper();
        Set<String> firstDayWhole = new HashSet<>();
        Set<String> firstDayCut = new HashSet<>();
        for (GeneratedMessage message : AppLogGenerator.generate(SETTINGS)) {
            if (message.valid() && day(json, message).equals(LocalDate.of(2024, 3, 1))) {
                firstDayWhole.add(new String(message.value()));
            }
        }
        long secondDayMessages = 0;
        for (GeneratedMessage message : AppLogGenerator.generate(untilNoon)) {
            if (message.valid()) {
                long ts = json.readTree(message.value()).get("ts").asLong();
                assertThat(ts).isLessThanOrEqualTo(noonOfTheSecondDay.toEpochMilli());
                if (day(json, message).equals(LocalDate.of(2024, 3, 1))) {
                    firstDayCut.add(new String(message.value()));
                } else {
                    secondDayMessages++;
                }
            }
        }
        assertThat(firstDayCut).isEqualTo(firstDayWhole);
        assertThat(secondDayMessages).isPositive();
    }

    @Test
    void devicesOpeningNowSendOneStartEachAtThatMoment() throws Exception {
        Instant now = Instant.parse("2024-03-01T02:03:04.005Z");
        List<GeneratedMessage> opening = AppLogGenerator.opening(500, 3, now, ZONE, 1);
        ObjectMapper json = new ObjectMapper();
        assertThat(opening).hasSize(3).allMatch(GeneratedMessage::valid);
        for (int i = 0; i < opening.size(); i++) {
            var log = json.readTree(opening.get(i).value());
            assertThat(log.get("ts").asLong()).isEqualTo(now.toEpochMilli());
            assertThat(log.get("common").get("mid").asText()).isEqualTo("mid_" + (500 + i));
            assertThat(log.get("common").get("is_new").asText()).isEqualTo("1");
            assertThat(log.has("start")).isTrue();
            assertThat(AppLogValidator.problemWith(opening.get(i).value())).isNull();
        }
    }

    private static LocalDate day(ObjectMapper json, GeneratedMessage message) throws Exception {
        return Instant.ofEpochMilli(json.readTree(message.value()).get("ts").asLong()).atZone(ZONE).toLocalDate();
    }
}
