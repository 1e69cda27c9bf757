package dev.cascade.signer.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.keys.KeyUse;
import dev.cascade.dnssec.serial.SerialPolicy;
import dev.cascade.dnssec.sign.SigningPolicy;
import dev.cascade.signer.domain.Approval;
import dev.cascade.signer.domain.ContentRef;
import dev.cascade.signer.domain.LaterVersion;
import dev.cascade.signer.domain.SignedHead;
import dev.cascade.signer.domain.SigningStatus;
import dev.cascade.signer.domain.UnsignedManifest;
import dev.cascade.signer.domain.WrappedKey;
import dev.cascade.signer.domain.WrappedKeySet;
import dev.cascade.signer.domain.ZonePolicy;
import dev.cascade.signer.persistence.SignerStore.ApprovalState;
import dev.cascade.testinfra.KafkaResource;
import dev.cascade.testinfra.PostgresResource;
import dev.cascade.testinfra.RegistryResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The signer's store on its own: what each write keeps, replaces or ignores. */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RegistryResource.class, scope = TestResourceScope.GLOBAL)
class SignerStoreComponentTest {

  @Inject SignerStore store;

  @Test
  void aNewKeySetReplacesTheOldOneWholeAndInOrderAndAnEmptyOneLeavesNone() {
    String zone = "keys.store.test.";
    store.saveKeySet(new WrappedKeySet(zone, "set-1", 3600, List.of(key(257, 11), key(256, 12))), Instant.now());
    // During a roll: a ZSK pre-published (in the DNSKEY RRset, signing nothing) beside the KSK and ZSK at work.
    WrappedKeySet second = new WrappedKeySet(zone, "set-2", 7200, List.of(
        key(257, 21, new KeyUse(true, true, false)), key(256, 22, new KeyUse(true, false, true)),
        key(256, 23, new KeyUse(true, false, false))));
    store.saveKeySet(second, Instant.now());
    assertKeySet(second, store.findKeySet(zone).orElseThrow());

    WrappedKeySet third = new WrappedKeySet(zone, "set-3", 300, List.of(key(257, 31)));
    store.saveKeySet(third, Instant.now());
    assertKeySet(third, store.findKeySet(zone).orElseThrow());
    assertEquals(Optional.empty(), store.findKeySet("other.store.test."));

    // The key manager retires a removed zone's keys by announcing an empty set: the zone has no keys to sign with.
    store.saveKeySet(new WrappedKeySet(zone, "set-4", 0, List.of()), Instant.now());
    assertEquals(Optional.empty(), store.findKeySet(zone));
  }

  @Test
  void laterVersionsAreThoseLoadedAfterTheGivenOneInArrivalOrderWithWhereTheyStand() {
    String zone = "later.store.test.";
    ContentRef content = new ContentRef("cascade.unsigned-content.v1", 0, 5, 7, 3, "cd".repeat(48), 99);
    String head = UUID.randomUUID().toString();
    String signed = UUID.randomUUID().toString();
    String failed = UUID.randomUUID().toString();
    String rejected = UUID.randomUUID().toString();
    String approved = UUID.randomUUID().toString();
    String awaiting = UUID.randomUUID().toString();
    // The rejection overtakes its manifest (another topic): it still counts once the manifest is there.
    store.recordRejection(zone, rejected, 4, "rejection-1", Instant.now());
    Instant loadedAt = Instant.parse("2026-12-01T00:00:00Z");
    store.saveManifest(
        new UnsignedManifest("other.later.store.test.", UUID.randomUUID().toString(), 9, content), loadedAt);
    long serial = 1;
    for (String versionId : List.of(head, signed, failed, rejected, approved, awaiting)) {
      store.saveManifest(new UnsignedManifest(zone, versionId, serial, content), loadedAt.plusSeconds(serial++));
    }
    store.recordApproval(new Approval(zone, signed, 2, "approval-2", null), Instant.now());
    store.markSigned(
        new SignedHead(zone, signed, signed, 2, 2, content, "keys-1", "signed-2", Instant.now().plusSeconds(60)),
        Instant.now());
    store.recordApproval(new Approval(zone, failed, 3, "approval-3", null), Instant.now());
    store.markFailed(failed, "gate", Instant.now());
    store.recordApproval(new Approval(zone, approved, 5, "approval-5", null), Instant.now());
    store.recordRejection(zone, rejected, 4, "rejection-replayed", Instant.now());

    assertEquals(
        List.of(
            new LaterVersion(signed, 2, LaterVersion.Stage.SIGNED),
            new LaterVersion(failed, 3, LaterVersion.Stage.FAILED),
            new LaterVersion(rejected, 4, LaterVersion.Stage.REJECTED),
            new LaterVersion(approved, 5, LaterVersion.Stage.APPROVED),
            new LaterVersion(awaiting, 6, LaterVersion.Stage.AWAITING_REVIEW)),
        store.laterVersions(zone, head));
    assertEquals(List.of(), store.laterVersions(zone, awaiting));
    assertEquals(List.of(), store.laterVersions(zone, "unknown-version"));
  }

  @Test
  void replayedManifestsAndApprovalsChangeNothing() {
    String zone = "replay.store.test.";
    String versionId = UUID.randomUUID().toString();
    ContentRef content = new ContentRef("cascade.unsigned-content.v1", 0, 5, 7, 3, "cd".repeat(48), 99);
    store.saveManifest(new UnsignedManifest(zone, versionId, 41, content), Instant.now());
    store.saveManifest(
        new UnsignedManifest(zone, versionId, 42, new ContentRef("other", 1, 1, 1, 1, "00".repeat(48), 1)),
        Instant.now());
    assertEquals(new UnsignedManifest(zone, versionId, 41, content), store.findManifest(versionId).orElseThrow());

    store.recordApproval(new Approval(zone, versionId, 41, "approval-1", null), Instant.now());
    store.markFailed(versionId, "gate: RRSIG expires too soon", Instant.now());
    store.recordApproval(new Approval(zone, versionId, 41, "approval-2", null), Instant.now());
    assertEquals(
        new ApprovalState(new Approval(zone, versionId, 41, "approval-1", null), SigningStatus.FAILED),
        store.findApproval(versionId).orElseThrow());
    assertTrue(store.pendingApprovals(zone).isEmpty());
  }

  @Test
  void aRemovedZoneLosesPolicyAndPendingApprovalsButKeepsItsSignedSerialAndRetiresItsSignedVersion() {
    String zone = "removed.store.test.";
    ZonePolicy policy =
        new ZonePolicy(
            SerialPolicy.COUNTER,
            new SigningPolicy(
                SigningPolicy.Denial.NSEC3, true, 0, new byte[] {(byte) 0xab, 0x01}, Duration.ofHours(1),
                Duration.ofDays(14), Duration.ofDays(7), Duration.ofHours(6)));
    store.savePolicy(zone, policy, "added-1", Instant.now());
    ZonePolicy found = store.findPolicy(zone).orElseThrow();
    assertEquals(policy.serialPolicy(), found.serialPolicy());
    assertEquals(policy.signing().remainTime(), found.signing().remainTime());
    assertEquals(policy.signing().refreshInterval(), found.signing().refreshInterval());
    assertEquals(policy.signing().denial(), found.signing().denial());
    assertEquals(policy.signing().optOut(), found.signing().optOut());
    assertArrayEquals(policy.signing().nsec3Salt(), found.signing().nsec3Salt());
    assertEquals(policy.signing().lifetime(), found.signing().lifetime());

    String signed = UUID.randomUUID().toString();
    String pending = UUID.randomUUID().toString();
    store.recordApproval(new Approval(zone, signed, 1, "review-1", null), Instant.now());
    store.recordApproval(new Approval(zone, pending, 2, "review-2", null), Instant.now());
    SignedHead head =
        new SignedHead(zone, signed, signed, 1, 2026112801,
            new ContentRef("cascade.signed-content.v1", 0, 10, 12, 3, "ef".repeat(48), 42), "keys-1", "signed-1",
            Instant.parse("2026-12-01T00:00:00Z"));
    store.markSigned(head, Instant.now());
    assertEquals(Optional.of(head), store.findSignedHead(zone));
    assertEquals(List.of(head), store.signedHeadsOfKnownZones().stream().filter(h -> h.zone().equals(zone)).toList());
    assertEquals(List.of(pending), store.pendingApprovals(zone).stream().map(s -> s.approval().versionId()).toList());

    store.forgetZone(zone);
    assertEquals(Optional.empty(), store.findPolicy(zone));
    assertTrue(store.pendingApprovals(zone).isEmpty());
    assertEquals(Optional.empty(), store.findApproval(pending));
    assertEquals(SigningStatus.SIGNED, store.findApproval(signed).orElseThrow().status());
    assertEquals(OptionalLong.of(2026112801), store.lastSignedSerial(zone));
    SignedHead retired = store.findSignedHead(zone).orElseThrow();
    assertEquals(head.content(), retired.content(), "the last signed version stays, as its serial does");
    assertTrue(retired.retired(), "but it is retired");
    store.savePolicy(zone, policy, "added-2", Instant.now());
    assertTrue(store.signedHeadsOfKnownZones().stream().noneMatch(h -> h.zone().equals(zone)),
        "a zone added again is not refreshed before a new version of it was signed");
  }

  private static WrappedKey key(int flags, int keyTag) {
    return key(flags, keyTag, null);
  }

  private static WrappedKey key(int flags, int keyTag, KeyUse use) {
    String role = flags == 257 ? "KSK" : "ZSK";
    return new WrappedKey(keyTag, 13, flags, role, "pub" + keyTag, new byte[] {1, 2, (byte) keyTag}, use);
  }

  private static void assertKeySet(WrappedKeySet expected, WrappedKeySet actual) {
    assertEquals(expected.zone(), actual.zone());
    assertEquals(expected.eventId(), actual.eventId());
    assertEquals(expected.dnskeyTtl(), actual.dnskeyTtl());
    assertEquals(expected.keys().size(), actual.keys().size());
    for (int i = 0; i < expected.keys().size(); i++) {
      WrappedKey want = expected.keys().get(i);
      WrappedKey got = actual.keys().get(i);
      assertEquals(
          List.of(want.keyTag(), want.algorithm(), want.flags(), want.role(), want.publicKey()),
          List.of(got.keyTag(), got.algorithm(), got.flags(), got.role(), got.publicKey()),
          "key " + i);
      assertArrayEquals(want.wrappedPrivateKey(), got.wrappedPrivateKey(), "wrapped private key " + i);
      assertEquals(want.use(), got.use(), "use of key " + i);
    }
  }
}
