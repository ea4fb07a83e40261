package com.example.lakehouse.config;

/**
 * kafka.*: the brokers, the two topics and how many records one micro-batch reads at most (so a replay of
 * a long topic is split into batches).
 */
public record KafkaSettings(String bootstrapServers, String appLogTopic, String maxwellTopic, long maxOffsetsPerTrigger) {
    static KafkaSettings from(ConfigValues values) {
        return new KafkaSettings(values.required(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS), values.required(ConfigKeys.KAFKA_TOPIC_APP_LOG),
                values.required(ConfigKeys.KAFKA_TOPIC_MAXWELL), values.positiveLong(ConfigKeys.KAFKA_MAX_OFFSETS_PER_TRIGGER));
    }
}
