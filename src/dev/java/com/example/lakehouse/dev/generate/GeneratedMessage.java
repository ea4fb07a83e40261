package com.example.lakehouse.dev.generate;

/** One Kafka message as produced: key (may be null), value bytes, and whether the pipeline must accept it. */
public record GeneratedMessage(byte[] key, byte[] value, boolean valid) {
}
