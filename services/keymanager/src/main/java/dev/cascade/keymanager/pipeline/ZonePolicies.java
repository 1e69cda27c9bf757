package dev.cascade.keymanager.pipeline;

import dev.cascade.events.v1.PolicySnapshot;
import dev.cascade.events.v1.RollAutomation;
import dev.cascade.keymanager.persistence.StoredZonePolicy;

/** The key settings of a ZoneAdded's or ZoneReloadRequested's policy snapshot, kept per zone. */
final class ZonePolicies {

  private ZonePolicies() {}

  static StoredZonePolicy stored(String zone, PolicySnapshot snapshot) {
    StoredZonePolicy row = new StoredZonePolicy();
    row.zone = zone;
    row.policyName = snapshot.getName();
    row.algorithm = snapshot.getAlgorithm();
    row.useCsk = snapshot.getUseCsk();
    row.kskValiditySeconds = snapshot.getKskValiditySeconds();
    row.zskValiditySeconds = snapshot.getZskValiditySeconds();
    row.cskValiditySeconds = snapshot.getCskValiditySeconds();
    row.dnskeyTtlSeconds = snapshot.getDnskeyTtlSeconds();
    row.kskRollType = snapshot.getKskRollType();
    row.zskRollType = snapshot.getZskRollType();
    row.kskAutomation = automation(snapshot.getKskAutomation());
    row.zskAutomation = automation(snapshot.getZskAutomation());
    row.cskAutomation = automation(snapshot.getCskAutomation());
    row.algorithmAutomation = automation(snapshot.getAlgorithmAutomation());
    row.cdsPublication = snapshot.getCdsPublication();
    row.dsAlgorithm = snapshot.getDsAlgorithm();
    row.dsSubmitHook = snapshot.getDsSubmitHook();
    row.publicationNameservers = StoredZonePolicy.servers(snapshot.getPublicationNameservers());
    row.parentNameservers = StoredZonePolicy.servers(snapshot.getParentNameservers());
    row.hsmServerId = snapshot.getHsmServerId();
    row.autoRemove = snapshot.getAutoRemove();
    row.autoRemoveDelaySeconds = snapshot.getAutoRemoveDelaySeconds();
    return row;
  }

  private static String automation(RollAutomation automation) {
    return StoredZonePolicy.automation(new dev.cascade.keymanager.domain.RollAutomation(
        automation.getStart(), automation.getReport(), automation.getExpire(), automation.getDone()));
  }
}
