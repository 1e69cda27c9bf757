package dev.cascade.testinfra.kafka;

import dev.cascade.events.EventMetadataFactory;
import dev.cascade.events.v1.DenialKind;
import dev.cascade.events.v1.PolicySnapshot;
import dev.cascade.events.v1.ReviewMode;
import dev.cascade.events.v1.SerialPolicyKind;
import dev.cascade.events.v1.ZoneAdded;
import dev.cascade.events.v1.ZoneRegistryFact;
import dev.cascade.events.v1.ZoneReloadRequested;
import dev.cascade.events.v1.ZoneRemoved;
import java.time.Clock;
import java.time.Duration;

/** Zone registry facts as review-gateway writes them to {@code cascade.zone-registry.v1}, for the consumers' tests. */
public final class RegistryFacts {

  private RegistryFacts() {}

  /** The registry policy snapshot of the shipped default policy (reviews off, ECDSAP256SHA256 KSK + ZSK). */
  public static PolicySnapshot defaultPolicy() {
    return PolicySnapshot.newBuilder()
        .setName("default")
        .setUnsignedReview(ReviewMode.OFF)
        .setSignedReview(ReviewMode.OFF)
        .setAlgorithm("ECDSAP256SHA256")
        .setUseCsk(false)
        .setKskValiditySeconds(Duration.ofDays(365).toSeconds())
        .setZskValiditySeconds(Duration.ofDays(30).toSeconds())
        .setDnskeyTtlSeconds(3600)
        .setSerialPolicy(SerialPolicyKind.KEEP)
        .setSignatureInceptionOffsetSeconds(3600)
        .setSignatureLifetimeSeconds(Duration.ofDays(14).toSeconds())
        .setSignatureRemainTimeSeconds(Duration.ofDays(7).toSeconds())
        .setSignatureRefreshIntervalSeconds(Duration.ofDays(1).toSeconds())
        .setDenial(DenialKind.NSEC)
        .setNsec3OptOut(false)
        .setNsec3Iterations(0)
        .setNsec3Salt("")
        .build();
  }

  public static ZoneRegistryFact zoneAdded(String zone, String source) {
    return zoneAdded(zone, source, defaultPolicy());
  }

  public static ZoneRegistryFact zoneAdded(String zone, String source, PolicySnapshot policy) {
    return fact(zone, ZoneAdded.newBuilder().setPolicy(policy).setSource(source).build());
  }

  public static ZoneRegistryFact reloadRequested(String zone, String source) {
    return fact(zone, ZoneReloadRequested.newBuilder().setSource(source).build());
  }

  /** A reload that gives the zone {@code policy}, as policy reload and zone set-policy write it. */
  public static ZoneRegistryFact policyChanged(String zone, String source, PolicySnapshot policy) {
    return fact(zone, ZoneReloadRequested.newBuilder().setSource(source).setPolicy(policy).build());
  }

  public static ZoneRegistryFact zoneRemoved(String zone) {
    return fact(zone, ZoneRemoved.newBuilder().setReason("test").build());
  }

  private static ZoneRegistryFact fact(String zone, Object what) {
    return ZoneRegistryFact.newBuilder()
        .setMetadata(EventMetadataFactory.next(Clock.systemUTC(), "review-gateway", null))
        .setZone(zone)
        .setFact(what)
        .build();
  }
}
