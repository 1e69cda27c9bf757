package dev.cascade.publisher.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.publisher.domain.ContentRef;
import dev.cascade.publisher.domain.SignedVersion;
import dev.cascade.publisher.persistence.PublisherStore.Approval;
import dev.cascade.testinfra.KafkaResource;
import dev.cascade.testinfra.PostgresResource;
import dev.cascade.testinfra.RegistryResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The signed-version fact and the approval arrive on different channels. Whichever comes second must learn that the
 * version can be published, exactly once, also when both write the version's row at the same moment.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RegistryResource.class, scope = TestResourceScope.GLOBAL)
class PublisherStoreComponentTest {

  @Inject PublisherStore store;

  @Test
  void anApprovalThatOvertakesItsFactWaitsForIt() {
    SignedVersion version = version("overtaken.test.", 7);
    assertEquals(Optional.empty(),
        store.approve(version.zone(), version.versionId(), new Approval("approval-1", "d1"), Instant.now()));
    assertEquals(Optional.of(new Approval("approval-1", "d1")), store.approval(version.versionId()));

    assertTrue(store.saveSignedVersion(version, Instant.now()), "the fact completes an approved version");
    assertEquals(Optional.of(version),
        store.approve(version.zone(), version.versionId(), new Approval("approval-1", "d1"), Instant.now()));
  }

  @Test
  void aFactWithoutApprovalIsNotPublishable() {
    SignedVersion version = version("unapproved.test.", 8);
    assertFalse(store.saveSignedVersion(version, Instant.now()));
    assertEquals(Optional.empty(), store.approval(version.versionId()));
    assertEquals(Optional.of(version),
        store.approve(version.zone(), version.versionId(), new Approval("approval-2", null), Instant.now()));
  }

  @Test
  void aFactAndItsApprovalAtTheSameMomentMakeTheVersionPublishableExactlyOnce() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      for (int i = 0; i < 20; i++) {
        SignedVersion version = version("race.test.", 100 + i);
        CountDownLatch start = new CountDownLatch(1);
        CompletableFuture<Boolean> byFact =
            CompletableFuture.supplyAsync(
                () -> awaitThen(start, () -> store.saveSignedVersion(version, Instant.now())), threads);
        CompletableFuture<Boolean> byApproval =
            CompletableFuture.supplyAsync(
                () -> awaitThen(start, () -> store.approve(version.zone(), version.versionId(),
                    new Approval("a", null), Instant.now()).isPresent()),
                threads);
        start.countDown();
        long publishable =
            Stream.of(byFact.get(60, TimeUnit.SECONDS), byApproval.get(60, TimeUnit.SECONDS)).filter(b -> b).count();
        assertEquals(1, publishable, "version " + i + ": exactly one writer completes the row");
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void theLastPublishedVersionOfAZoneWinsAndRemovalForgetsIt() {
    SignedVersion first = version("published-store.test.", 1);
    SignedVersion second = new SignedVersion(first.zone(), UUID.randomUUID().toString(), 2, 2, first.content());
    store.savePublished(first, Instant.now());
    store.savePublished(second, Instant.now());
    assertEquals(Optional.of(second), store.findPublished(first.zone()));
    assertTrue(store.allPublished().contains(second));

    store.forgetZone(first.zone());
    assertEquals(Optional.empty(), store.findPublished(first.zone()));
    assertFalse(store.allPublished().contains(second));
  }

  private static SignedVersion version(String zone, long serial) {
    return new SignedVersion(
        zone,
        UUID.randomUUID().toString(),
        serial,
        serial + 1,
        new ContentRef("cascade.signed-content.v1", 0, 10 * serial, 10 * serial + 2, 3, "ab".repeat(48), 42));
  }

  private static <T> T awaitThen(CountDownLatch start, Supplier<T> work) {
    try {
      start.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return work.get();
  }
}
