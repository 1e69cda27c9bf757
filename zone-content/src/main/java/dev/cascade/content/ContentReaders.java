package dev.cascade.content;

import dev.cascade.service.kafka.KafkaSettings;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * The content readers of one service, kept open between reads. A {@link ContentReader} is a Kafka consumer with its
 * own registry client: opening one costs connections to the broker and the registry and a schema lookup before the
 * first chunk arrives, which a small zone's version would otherwise pay at every step of the pipeline. A reader is
 * lent to one read at a time, so zones are still read in parallel; a new one is opened when all are lent out. A
 * reader whose read failed is closed rather than lent again, since a failure may leave its consumer assigned or its
 * connection broken.
 */
public final class ContentReaders implements AutoCloseable {

  /** What a caller does with a lent reader. */
  @FunctionalInterface
  public interface Read<T, E extends Exception> {
    T apply(ContentReader reader) throws E;
  }

  private final Map<String, Object> consumerConfig;
  private final ConcurrentLinkedDeque<ContentReader> idle = new ConcurrentLinkedDeque<>();

  /** @param consumerConfig the consumer settings, as {@link KafkaSettings#consumer} makes them */
  public ContentReaders(Map<String, Object> consumerConfig) {
    this.consumerConfig = consumerConfig;
  }

  /**
   * Runs {@code read} with a reader of its own and returns its result.
   *
   * @throws E what {@code read} throws
   */
  public <T, E extends Exception> T read(Read<T, E> read) throws E {
    ContentReader reader = idle.pollFirst();
    if (reader == null) {
      reader = new ContentReader(consumerConfig);
    }
    boolean completed = false;
    try {
      T result = read.apply(reader);
      completed = true;
      return result;
    } finally {
      if (completed) {
        idle.offerFirst(reader);
      } else {
        reader.close();
      }
    }
  }

  @Override
  public void close() {
    for (ContentReader reader = idle.pollFirst(); reader != null; reader = idle.pollFirst()) {
      reader.close();
    }
  }
}
