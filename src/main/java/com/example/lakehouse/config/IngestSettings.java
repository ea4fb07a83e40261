package com.example.lakehouse.config;

import java.time.Duration;

import org.apache.spark.sql.streaming.Trigger;

/**
 * How the streams run: their trigger ('available-now' drains Kafka and stops; an interval such as '10 seconds'
 * runs on), the interval at which the CDC ingest applies captured changes to the mirrors, and how long
 * `lakehouse stop` waits for a running micro-batch before it kills the job.
 */
public record IngestSettings(Trigger trigger, Trigger mirrorTrigger, Duration stopTimeout) {
    static IngestSettings from(ConfigValues values) {
        return new IngestSettings(parseTrigger(ConfigKeys.INGEST_TRIGGER, values.required(ConfigKeys.INGEST_TRIGGER)),
                mirrorTrigger(values.required(ConfigKeys.INGEST_MIRROR_TRIGGER)),
                Duration.ofSeconds(values.positiveLong(ConfigKeys.JOBS_STOP_TIMEOUT_SECONDS)));
    }

    /** An interval only: the mirrors follow a running capture (a drain applies them once, after it). */
    private static Trigger mirrorTrigger(String trigger) {
        Trigger parsed = parseTrigger(ConfigKeys.INGEST_MIRROR_TRIGGER, trigger);
        if (parsed.equals(Trigger.AvailableNow())) {
            throw new ConfigException("config key '" + ConfigKeys.INGEST_MIRROR_TRIGGER + "' must be an interval such as"
                    + " '1 minute', got '" + trigger + "'");
        }
        return parsed;
    }

    private static Trigger parseTrigger(String key, String trigger) {
        if (trigger.equalsIgnoreCase("available-now")) {
            return Trigger.AvailableNow();
        }
        try {
            return Trigger.ProcessingTime(trigger);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("config key '" + key + "' must be 'available-now' or an interval"
                    + " such as '10 seconds', got '" + trigger + "'");
        }
    }
}
