package com.example.lakehouse.dev.generate;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Producing generated messages to Kafka, for `generate`, the demo, the benchmarks and the tests. */
public final class KafkaPublisher {
    private KafkaPublisher() {
    }

    /**
     * A producer of raw bytes, acknowledged by every in-sync replica; {@code lingerMillis} trades latency
     * for batching.
     */
    public static KafkaProducer<byte[], byte[]> producer(String bootstrapServers, int lingerMillis) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, lingerMillis,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }

    /** Sends the messages in order and waits until the broker has acknowledged all of them. */
    public static void publish(String bootstrapServers, String topic, List<GeneratedMessage> messages) {
        List<Future<RecordMetadata>> acknowledgements = new ArrayList<>(messages.size());
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrapServers, 20)) {
            for (GeneratedMessage message : messages) {
                acknowledgements.add(producer.send(new ProducerRecord<>(topic, message.key(), message.value())));
            }
            producer.flush();
            for (Future<RecordMetadata> acknowledgement : acknowledgements) {
                acknowledgement.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot produce to " + topic + ": " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while producing to " + topic, e);
        }
    }

    /** What was produced: how many messages, how many distinct, malformed and resent. */
    public static String describe(List<GeneratedMessage> messages, String topic) {
        long malformed = messages.stream().filter(message -> !message.valid()).count();
        long distinct = messages.stream().map(message -> new String(message.value(), StandardCharsets.ISO_8859_1)).distinct().count();
        return "produced " + messages.size() + " messages to " + topic + " (" + distinct + " distinct, "
                + malformed + " malformed, " + (messages.size() - distinct) + " resent duplicates)";
    }
}
