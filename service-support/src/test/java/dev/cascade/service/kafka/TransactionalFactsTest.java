package dev.cascade.service.kafka;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cascade.testinfra.Services;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * A transactional fact write on a real broker: the fact and the consumed event's offset commit together, and a
 * zombie (an instance whose transactional.id a newer one took over, or a member whose partition the group gave to
 * another) writes nothing a {@code read_committed} reader sees.
 */
class TransactionalFactsTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  /** String values need no schema registry: the URL is never contacted. */
  private static Map<String, Object> producerSettings() {
    Map<String, Object> settings = KafkaSettings.producer(Services.kafkaBootstrap(), "http://127.0.0.1:1/unused");
    settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    return settings;
  }

  private static Map<String, Object> readerSettings() {
    Map<String, Object> settings = KafkaSettings.consumer(Services.kafkaBootstrap(), "http://127.0.0.1:1/unused");
    settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    return settings;
  }

  private static KafkaConsumer<String, String> member(String group, String topic) {
    Map<String, Object> settings = readerSettings();
    settings.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    KafkaConsumer<String, String> consumer = new KafkaConsumer<>(settings);
    consumer.subscribe(List.of(topic));
    return consumer;
  }

  /** Polls {@code consumer} until it is given a record, which it then holds the partition of. */
  private static ConsumerRecord<String, String> consumeOne(KafkaConsumer<String, String> consumer) {
    ConsumerRecords<String, String> records = await().atMost(TIMEOUT)
        .until(() -> consumer.poll(Duration.ofMillis(100)), found -> !found.isEmpty());
    return records.iterator().next();
  }

  private static String newTopic() throws Exception {
    String topic = "cascade.test-transactions." + UUID.randomUUID();
    try (Admin admin = admin()) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    }
    return topic;
  }

  private static Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, Services.kafkaBootstrap()));
  }

  private static void sendEvent(String topic, String value) throws Exception {
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Services.kafkaBootstrap(),
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
      producer.send(new ProducerRecord<>(topic, "zone.test.", value)).get();
    }
  }

  private static List<String> committedFacts(String topic) {
    return TopicHistory.<String>read(readerSettings(), topic, TIMEOUT).stream().map(ConsumerRecord::value).toList();
  }

  private static OffsetAndMetadata committedOffset(String group, TopicPartition partition) throws Exception {
    try (Admin admin = admin()) {
      return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().get(partition);
    }
  }

  private static ProducerRecord<String, Object> fact(String topic, String value) {
    return new ProducerRecord<>(topic, "zone.test.", value);
  }

  private static Map<TopicPartition, OffsetAndMetadata> past(ConsumerRecord<String, String> event) {
    return Map.of(new TopicPartition(event.topic(), event.partition()), new OffsetAndMetadata(event.offset() + 1));
  }

  @Test
  void theFactAndTheOffsetPastItsEventCommitTogether() throws Exception {
    String events = newTopic();
    String facts = newTopic();
    String group = "transactions-test-" + UUID.randomUUID();
    sendEvent(events, "approved");
    try (KafkaConsumer<String, String> consumer = member(group, events);
        TransactionalFacts writer = new TransactionalFacts(producerSettings(), "test-" + UUID.randomUUID())) {
      ConsumerRecord<String, String> event = consumeOne(consumer);
      writer.commit(List.of(fact(facts, "signed")), past(event), consumer.groupMetadata());
      assertEquals(List.of("signed"), committedFacts(facts));
      assertEquals(event.offset() + 1,
          committedOffset(group, new TopicPartition(events, event.partition())).offset());
    }
  }

  @Test
  void aNewerInstanceWithTheSameTransactionalIdFencesTheOlderForGood() throws Exception {
    String facts = newTopic();
    String transactionalId = TransactionalFacts.transactionalId("signer", UUID.randomUUID().toString());
    try (TransactionalFacts zombie = new TransactionalFacts(producerSettings(), transactionalId);
        TransactionalFacts successor = new TransactionalFacts(producerSettings(), transactionalId)) {
      zombie.commit(List.of(fact(facts, "before the takeover")), Map.of(), null);
      successor.commit(List.of(fact(facts, "by the successor")), Map.of(), null);

      FencedWriteException fenced = assertThrows(FencedWriteException.class,
          () -> zombie.commit(List.of(fact(facts, "by the zombie")), Map.of(), null));
      assertEquals(FencedWriteException.Fenced.INSTANCE, fenced.fenced());
      assertEquals(FencedWriteException.Fenced.INSTANCE, assertThrows(FencedWriteException.class,
          () -> zombie.commit(List.of(fact(facts, "by the zombie again")), Map.of(), null)).fenced());
      assertEquals(List.of("before the takeover", "by the successor"), committedFacts(facts));
    }
  }

  @Test
  void aMemberWhosePartitionTheGroupGaveToAnotherCannotCommitItsFact() throws Exception {
    String events = newTopic();
    String facts = newTopic();
    String group = "transactions-test-" + UUID.randomUUID();
    sendEvent(events, "approved");
    try (TransactionalFacts zombie = new TransactionalFacts(producerSettings(), "test-" + UUID.randomUUID());
        TransactionalFacts successor = new TransactionalFacts(producerSettings(), "test-" + UUID.randomUUID())) {
      ConsumerRecord<String, String> event;
      ConsumerGroupMetadata stale;
      try (KafkaConsumer<String, String> first = member(group, events)) {
        event = consumeOne(first);
        stale = first.groupMetadata();
      }
      // The first member is gone (as a paused instance is, once its session times out); the partition moves on.
      try (KafkaConsumer<String, String> second = member(group, events)) {
        ConsumerRecord<String, String> again = consumeOne(second);
        assertEquals(event.offset(), again.offset(), "the event is delivered again to the new owner");

        FencedWriteException fenced = assertThrows(FencedWriteException.class,
            () -> zombie.commit(List.of(fact(facts, "by the zombie")), past(event), stale));
        assertEquals(FencedWriteException.Fenced.CONSUMED_EVENT, fenced.fenced());
        assertNull(committedOffset(group, new TopicPartition(events, event.partition())));

        successor.commit(List.of(fact(facts, "by the owner")), past(again), second.groupMetadata());
        assertEquals(List.of("by the owner"), committedFacts(facts));
        assertEquals(event.offset() + 1,
            committedOffset(group, new TopicPartition(events, event.partition())).offset());
        // Not fenced for good: the instance goes on with the events it is given.
        zombie.commit(List.of(fact(facts, "a timer's fact")), Map.of(), null);
      }
    }
  }
}
