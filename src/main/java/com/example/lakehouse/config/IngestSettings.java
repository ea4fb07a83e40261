package com.example.lakehouse.config;

import java.time.Duration;

import org.apache.spark.sql.streaming.Trigger;

/**
 * How the streams run: their trigger ('available-now' drains Kafka and stops; an interval such as '10 seconds'
 * runs on), the shorter interval of the app-log ingest's live query (today's devices), the interval at which
 * the CDC ingest applies captured changes to the mirrors, the interval at which it builds today's order tables
 * again, how many Kafka records make a micro-batch large enough to run with the SQL jobs' Spark settings rather
 * than the ingests' own, and how long `lakehouse stop` waits for a running micro-batch before it kills the job.
 */
public record IngestSettings(Trigger trigger, Trigger liveTrigger, Trigger mirrorTrigger, Trigger todayTrigger,
                             long largeBatchRecords, Duration stopTimeout) {
    static IngestSettings from(ConfigValues values) {
        return new IngestSettings(parseTrigger(ConfigKeys.INGEST_TRIGGER, values.required(ConfigKeys.INGEST_TRIGGER)),
                interval(ConfigKeys.INGEST_LIVE_TRIGGER, values.required(ConfigKeys.INGEST_LIVE_TRIGGER)),
                interval(ConfigKeys.INGEST_MIRROR_TRIGGER, values.required(ConfigKeys.INGEST_MIRROR_TRIGGER)),
                interval(ConfigKeys.INGEST_TODAY_TRIGGER, values.required(ConfigKeys.INGEST_TODAY_TRIGGER)),
                values.positiveLong(ConfigKeys.INGEST_LARGE_BATCH_RECORDS),
                Duration.ofSeconds(values.positiveLong(ConfigKeys.JOBS_STOP_TIMEOUT_SECONDS)));
    }

    /** An interval only: these queries follow a running ingest (a drain runs them to the end of what it read). */
    private static Trigger interval(String key, String trigger) {
        Trigger parsed = trigger.equalsIgnoreCase("available-now") ? null : processingTime(trigger);
        if (parsed == null) {
            throw new ConfigException("config key '" + key + "' must be an interval such as '5 seconds', got '"
                    + trigger + "'");
        }
        return parsed;
    }

    private static Trigger parseTrigger(String key, String trigger) {
        if (trigger.equalsIgnoreCase("available-now")) {
            return Trigger.AvailableNow();
        }
        Trigger parsed = processingTime(trigger);
        if (parsed == null) {
            throw new ConfigException("config key '" + key + "' must be 'available-now' or an interval"
                    + " such as '10 seconds', got '" + trigger + "'");
        }
        return parsed;
    }

    /** The interval {@code trigger} names, or null when it names none. */
    private static Trigger processingTime(String trigger) {
        try {
            return Trigger.ProcessingTime(trigger);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
