package dev.cascade.signer.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides what to do with an approved version, given what the signer knows about its zone. The four inputs arrive on
 * four topics in no guaranteed order (an approval may overtake the key set or even the manifest), so an approval
 * waits until the policy, the key set and the manifest are all there, and each version is signed at most once.
 */
public final class SigningReadiness {

  /** The outcome of {@link #assess}. */
  public sealed interface Decision {}

  /** Everything is there: sign now. */
  public record Sign(Approval approval, ZonePolicy policy, WrappedKeySet keySet, UnsignedManifest manifest)
      implements Decision {}

  /** Keep the approval pending; {@code missing} names what is still to come. */
  public record Wait(List<String> missing) implements Decision {}

  /** The version was already signed or failed: nothing to do (replays and duplicate triggers end here). */
  public record AlreadyDone(SigningStatus status) implements Decision {}

  /** The inputs contradict each other: fail the version with this reason instead of signing something unreviewed. */
  public record Refuse(String reason) implements Decision {}

  private SigningReadiness() {}

  public static Decision assess(
      Approval approval,
      SigningStatus status,
      Optional<ZonePolicy> policy,
      Optional<WrappedKeySet> keySet,
      Optional<UnsignedManifest> manifest) {
    if (status == SigningStatus.SIGNED || status == SigningStatus.FAILED) {
      return new AlreadyDone(status);
    }
    List<String> missing = new ArrayList<>(3);
    if (policy.isEmpty()) {
      missing.add("policy");
    }
    if (keySet.isEmpty()) {
      missing.add("key set");
    }
    if (manifest.isEmpty()) {
      missing.add("manifest");
    }
    if (!missing.isEmpty()) {
      return new Wait(List.copyOf(missing));
    }
    UnsignedManifest loaded = manifest.get();
    if (!loaded.zone().equals(approval.zone())) {
      return new Refuse(
          "version " + approval.versionId() + " was loaded for " + loaded.zone() + ", approved for " + approval.zone());
    }
    if (loaded.unsignedSerial() != approval.unsignedSerial()) {
      return new Refuse(
          "approved serial " + approval.unsignedSerial() + " differs from loaded serial " + loaded.unsignedSerial());
    }
    // An approval holds for the content reviewed: other content under the same versionId was never reviewed.
    if (approval.contentDigest() != null && !approval.contentDigest().equals(loaded.content().digest())) {
      return new Refuse("the loaded content (digest " + loaded.content().digest() + ") is not the content approved"
          + " (digest " + approval.contentDigest() + ")");
    }
    return new Sign(approval, policy.get(), keySet.get(), loaded);
  }
}
