package com.example.lakehouse.config;

import java.time.Duration;

import org.apache.spark.sql.streaming.Trigger;

/**
 * How the streams run: their trigger ('available-now' drains Kafka and stops; an interval such as '10 seconds'
 * runs on), and how long `lakehouse stop` waits for a running micro-batch before it kills the job.
 */
public record IngestSettings(Trigger trigger, Duration stopTimeout) {
    static IngestSettings from(ConfigValues values) {
        return new IngestSettings(parseTrigger(values.required(ConfigKeys.INGEST_TRIGGER)),
                Duration.ofSeconds(values.positiveLong(ConfigKeys.JOBS_STOP_TIMEOUT_SECONDS)));
    }

    private static Trigger parseTrigger(String trigger) {
        if (trigger.equalsIgnoreCase("available-now")) {
            return Trigger.AvailableNow();
        }
        try {
            return Trigger.ProcessingTime(trigger);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("config key '" + ConfigKeys.INGEST_TRIGGER + "' must be 'available-now' or an interval"
                    + " such as '10 seconds', got '" + trigger + "'");
        }
    }
}
