package dev.cascade.loader.domain;

import dev.cascade.dnssec.compact.CompactRecords;
import dev.cascade.dnssec.reload.ZoneReload;
import dev.cascade.dnssec.xfr.ZoneTransferClient;
import dev.cascade.dnssec.zone.ParsedZone;
import dev.cascade.dnssec.zone.ZoneInputException;
import dev.cascade.dnssec.zone.ZoneNormaliser;
import java.util.Optional;
import org.xbill.DNS.Name;

/**
 * Makes a zone transferred from a primary into a version, as {@link ZoneLoader} does a zone file: normalised as a
 * zone file with the same records would be (dnssec-core {@link ZoneNormaliser}, which also strips the input's DNSSEC
 * records), digested, and compared with the last loaded version.
 */
public final class TransferredZone {

  private TransferredZone() {}

  /**
   * @param apex the zone apex (absolute)
   * @param source the source as the registry names it
   * @param transferred what the refresh brought: the whole zone, whether it came by IXFR or AXFR
   * @param lastDigest digest of the last version loaded, if any
   */
  public static LoadOutcome outcome(Name apex, String source, ZoneTransferClient.Transferred transferred,
      Optional<String> lastDigest) {
    String what = transferred.kind() + " from " + source;
    ParsedZone parsed;
    try {
      parsed = ZoneNormaliser.normalise(apex, what, transferred.records());
    } catch (ZoneInputException e) {
      return new LoadOutcome.Failed(source, null, null, "malformed transfer: " + e.reason());
    }
    CompactRecords records = CompactRecords.ofSorted(parsed.records());
    ZoneReload.Result result = new ZoneReload.Result(records, parsed.serial(), records.wireBytes(),
        parsed.warningsAndNotes(), null, false, what + " (serial " + parsed.serial() + ")", null, null);
    String digest = records.digest();
    if (lastDigest.isPresent() && lastDigest.get().equals(digest)) {
      return new LoadOutcome.Unchanged(result, digest);
    }
    return new LoadOutcome.Loaded(result, digest);
  }
}
