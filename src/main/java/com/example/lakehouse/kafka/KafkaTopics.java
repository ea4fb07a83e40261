package com.example.lakehouse.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import com.example.lakehouse.generate.GeneratedMessage;

/** Topic creation and producing, for the generators, the demo and the tests. */
public final class KafkaTopics {
    private KafkaTopics() {
    }

    /** Creates the topic if it does not exist yet. */
    public static void ensure(String bootstrapServers, String topic, int partitions) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + topic + ": " + e.getCause().getMessage(), e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + topic, e);
        }
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
}
