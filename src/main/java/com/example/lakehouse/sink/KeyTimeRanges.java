package com.example.lakehouse.sink;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.unix_micros;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.delta.actions.AddFile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Where a batch's keys can be in a table with a key time (a time its key determines, so a key's copies share
 * it): the whole minutes its rows fall in, as at most {@value #MAX_RANGES} ranges [start, end). A keyed write
 * reads only the files whose key times, by their Delta statistics, meet a range.
 *
 * @param column the key time's column, a TIMESTAMP
 * @param ranges sorted and apart
 */
public record KeyTimeRanges(String column, List<Range> ranges) {
    /** More ranges would make the condition long; fewer, wider ones only read more files. */
    public static final int MAX_RANGES = 64;
    /** The grain of the ranges, in microseconds: a minute. */
    private static final long MINUTE_MICROS = 60_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** From {@code start} (inclusive) to {@code end} (exclusive), both whole minutes. */
    public record Range(Instant start, Instant end) {
    }

    /**
     * The given minutes (sorted, distinct, counted as {@link #minuteOf} does) as few ranges: adjacent minutes make
     * one range, and beyond {@value #MAX_RANGES} ranges the smallest gaps are closed, which only widens them.
     */
    public static KeyTimeRanges ofMinutes(String column, long[] minutes) {
        List<Integer> cuts = new ArrayList<>();
        for (int i = 1; i < minutes.length; i++) {
            if (minutes[i] > minutes[i - 1] + 1) {
                cuts.add(i);
            }
        }
        if (cuts.size() >= MAX_RANGES) {
            cuts = cuts.stream().sorted(Comparator.comparingLong((Integer i) -> minutes[i] - minutes[i - 1]).reversed())
                    .limit(MAX_RANGES - 1).sorted().toList();
        }
        List<Integer> ends = new ArrayList<>(cuts);
        ends.add(minutes.length);
        List<Range> ranges = new ArrayList<>();
        int start = 0;
        for (int end : ends) {
            ranges.add(new Range(minuteStart(minutes[start]), minuteStart(minutes[end - 1] + 1)));
            start = end;
        }
        return new KeyTimeRanges(column, List.copyOf(ranges));
    }

    /**
     * The minute a timestamp falls in, counted from the epoch, in whole numbers: the micros less their
     * remainder, divided exactly, so no rounding moves a time into the next minute.
     */
    public static Column minuteOf(Column time) {
        Column micros = unix_micros(time);
        return micros.minus(pmod(micros, lit(MINUTE_MICROS))).divide(MINUTE_MICROS).cast("long");
    }

    /** The column within one of the ranges. */
    public Column condition() {
        Column time = col(column);
        return ranges.stream().map(range -> time.geq(lit(range.start())).and(time.lt(lit(range.end()))))
                .reduce(Column::or).orElseThrow();
    }

    /**
     * Whether {@code file} can hold a row within the ranges, by the least and greatest key time its statistics
     * record; without them (no statistics, or none of the column, as for a file whose key times are all null),
     * it can. Delta writes a timestamp's statistics to the millisecond, truncated, which moves neither across
     * the whole minutes the ranges start and end at.
     */
    public boolean mayHoldRowsOf(AddFile file) {
        if (file.stats() == null) {
            return true;
        }
        try {
            JsonNode stats = JSON.readTree(file.stats());
            JsonNode least = stats.path("minValues").path(column);
            JsonNode greatest = stats.path("maxValues").path(column);
            if (!least.isTextual() || !greatest.isTextual()) {
                return true;
            }
            Instant first = OffsetDateTime.parse(least.asText()).toInstant();
            Instant last = OffsetDateTime.parse(greatest.asText()).toInstant();
            return ranges.stream().anyMatch(range -> !last.isBefore(range.start()) && first.isBefore(range.end()));
        } catch (JsonProcessingException | DateTimeParseException e) {
            return true; // statistics this cannot read narrow nothing
        }
    }

    /** An Instant literal: no calendar rebasing, unlike java.sql.Timestamp before 1582. */
    private static Instant minuteStart(long minute) {
        return Instant.EPOCH.plus(minute * MINUTE_MICROS, ChronoUnit.MICROS);
    }
}
