package dev.cascade.service.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class HeldZonesTest {

  private static final int PARTITIONS = 12;

  @Test
  void partitionIsTheProducersForTheApexAsKey() {
    for (String zone : List.of("example.test.", "example.org.", "a.", "xn--bcher-kva.example.")) {
      assertEquals(
          BuiltInPartitioner.partitionForKey(zone.getBytes(StandardCharsets.UTF_8), PARTITIONS),
          HeldZones.partitionOf(zone, PARTITIONS),
          zone);
    }
  }

  @Test
  void holdsNothingBeforeTheFirstAssignment() {
    assertFalse(new HeldZones("t").holds("example.test."));
  }

  @Test
  void holdsExactlyTheZonesOfItsPartitions() {
    HeldZones held = new HeldZones("t");
    String zone = "example.test.";
    int partition = HeldZones.partitionOf(zone, PARTITIONS);

    held.assigned(PARTITIONS, List.of(partition));
    assertTrue(held.holds(zone));

    HeldZones other = new HeldZones("t");
    other.assigned(PARTITIONS, IntStream.range(0, PARTITIONS).filter(p -> p != partition).boxed().toList());
    assertFalse(other.holds(zone));
  }

  @Test
  void cooperativeIncrementsAddUpAndRevocationsDrop() {
    HeldZones held = new HeldZones("t");
    String zone = "example.test.";
    int partition = HeldZones.partitionOf(zone, PARTITIONS);

    held.assigned(PARTITIONS, List.of());
    assertFalse(held.holds(zone));
    held.assigned(PARTITIONS, List.of(partition));
    held.assigned(PARTITIONS, List.of((partition + 1) % PARTITIONS));
    assertTrue(held.holds(zone));

    held.released(List.of(partition));
    assertFalse(held.holds(zone));
  }

  @Test
  void aGainTellsTheListenersAndAnEmptyAssignmentDoesNot() {
    HeldZones held = new HeldZones("t");
    AtomicInteger told = new AtomicInteger();
    held.onGain(told::incrementAndGet);

    held.assigned(PARTITIONS, List.of());
    assertEquals(0, told.get());
    held.assigned(PARTITIONS, List.of(3, 4));
    assertEquals(1, told.get());
  }
}
