package com.example.lakehouse.format.applog;

import java.time.Instant;
import java.util.List;

import com.example.lakehouse.format.JsonMessage;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Decides whether one app-log message can be accepted, and if not, says why in words an operator can
 * act on. The rules are the app-log contract: a JSON object with {@code common.mid}, a {@code ts}
 * in epoch milliseconds, and at least one event section.
 */
public final class AppLogValidator {
    /** Sections of which a message carries at least one. */
    public static final List<String> EVENT_SECTIONS = List.of("start", "page", "displays", "actions", "err");

    // epoch-millisecond bounds that catch seconds sent by mistake and garbage numbers
    private static final long EARLIEST_TS = Instant.parse("2000-01-01T00:00:00Z").toEpochMilli();
    private static final long LATEST_TS = Instant.parse("2100-01-01T00:00:00Z").toEpochMilli();

    private AppLogValidator() {
    }

    /** Null when the message is valid, otherwise the reason it is rejected; never throws. */
    public static String problemWith(byte[] message) {
        try {
            return check(message);
        } catch (RuntimeException e) {
            return "unreadable message: " + e;
        }
    }

    private static String check(byte[] message) {
        JsonMessage json = JsonMessage.read(message);
        if (json.problem() != null) {
            return json.problem();
        }
        JsonNode root = json.root();
        JsonNode mid = root.path("common").path("mid");
        if (!mid.isTextual() || mid.asText().isBlank()) {
            return "missing common.mid";
        }
        JsonNode ts = root.path("ts");
        if (!ts.canConvertToLong() || !ts.isIntegralNumber()) {
            return "missing or non-integer ts";
        }
        if (ts.asLong() < EARLIEST_TS || ts.asLong() >= LATEST_TS) {
            return "ts " + ts.asLong() + " is not epoch milliseconds between 2000 and 2100";
        }
        if (EVENT_SECTIONS.stream().noneMatch(root::hasNonNull)) {
            return "no event section (one of " + String.join(", ", EVENT_SECTIONS) + ")";
        }
        return null;
    }
}
