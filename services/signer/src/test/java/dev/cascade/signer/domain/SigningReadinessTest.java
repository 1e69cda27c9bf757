package dev.cascade.signer.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.serial.SerialPolicy;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SigningReadinessTest {

  private static final Approval APPROVAL = new Approval("example.test.", "v1", 2026010100, "approval-1", null);
  private static final UnsignedManifest MANIFEST =
      new UnsignedManifest(
          "example.test.",
          "v1",
          2026010100,
          new ContentRef("cascade.unsigned-content.v1", 0, 10, 12, 3, "ab", 8));
  private static final ZonePolicy POLICY = TestZones.policy(SerialPolicy.COUNTER);
  private static final WrappedKeySet KEY_SET = new WrappedKeySet("example.test.", "keys-1", 3600, List.of());

  @Test
  void approvalThatOvertookTheKeySetWaitsForIt() {
    var decision =
        SigningReadiness.assess(
            APPROVAL, SigningStatus.PENDING, Optional.of(POLICY), Optional.empty(), Optional.of(MANIFEST));

    assertEquals(new SigningReadiness.Wait(List.of("key set")), decision);
  }

  @Test
  void approvalThatOvertookEverythingNamesAllThatIsMissing() {
    var decision =
        SigningReadiness.assess(
            APPROVAL, SigningStatus.PENDING, Optional.empty(), Optional.empty(), Optional.empty());

    assertEquals(new SigningReadiness.Wait(List.of("policy", "key set", "manifest")), decision);
  }

  @Test
  void signsOnceEverythingIsThere() {
    var decision =
        SigningReadiness.assess(
            APPROVAL, SigningStatus.PENDING, Optional.of(POLICY), Optional.of(KEY_SET), Optional.of(MANIFEST));

    var sign = assertInstanceOf(SigningReadiness.Sign.class, decision);
    assertSame(APPROVAL, sign.approval());
    assertSame(MANIFEST, sign.manifest());
    assertSame(KEY_SET, sign.keySet());
  }

  @Test
  void aSignedOrFailedVersionIsNeverSignedAgain() {
    for (SigningStatus done : List.of(SigningStatus.SIGNED, SigningStatus.FAILED)) {
      var decision =
          SigningReadiness.assess(
              APPROVAL, done, Optional.of(POLICY), Optional.of(KEY_SET), Optional.of(MANIFEST));

      assertEquals(new SigningReadiness.AlreadyDone(done), decision);
    }
  }

  @Test
  void refusesWhenTheApprovedSerialIsNotTheLoadedOne() {
    Approval otherSerial = new Approval("example.test.", "v1", 2026010101, "approval-2", null);

    var decision =
        SigningReadiness.assess(
            otherSerial, SigningStatus.PENDING, Optional.of(POLICY), Optional.of(KEY_SET), Optional.of(MANIFEST));

    var refuse = assertInstanceOf(SigningReadiness.Refuse.class, decision);
    assertTrue(refuse.reason().contains("2026010101") && refuse.reason().contains("2026010100"), refuse.reason());
  }

  @Test
  void signsOnlyTheContentWhoseDigestWasApproved() {
    String loaded = MANIFEST.content().digest();
    Approval other = new Approval("example.test.", "v1", 2026010100, "approval-3", "ab".repeat(48));
    Approval same = new Approval("example.test.", "v1", 2026010100, "approval-4", loaded);

    var refuse = assertInstanceOf(SigningReadiness.Refuse.class, SigningReadiness.assess(
        other, SigningStatus.PENDING, Optional.of(POLICY), Optional.of(KEY_SET), Optional.of(MANIFEST)));
    assertTrue(refuse.reason().contains("ab".repeat(48)) && refuse.reason().contains(loaded), refuse.reason());
    assertInstanceOf(SigningReadiness.Sign.class, SigningReadiness.assess(
        same, SigningStatus.PENDING, Optional.of(POLICY), Optional.of(KEY_SET), Optional.of(MANIFEST)));
  }
}
