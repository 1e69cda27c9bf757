package dev.cascade.keymanager.propagation;

import dev.cascade.dnssec.roll.PropagationExpectation;
import org.xbill.DNS.Record;
import org.xbill.DNS.ZoneTransferException;
import org.xbill.DNS.ZoneTransferIn;

/**
 * Hands each record of an AXFR to a {@link PropagationExpectation.ZoneSignatures} as it arrives and keeps none: the
 * zone is never held in memory. The closing SOA of the transfer (RFC 5936 §2.2) is counted again, which changes
 * neither the serial nor the largest TTL.
 */
final class Tally implements ZoneTransferIn.ZoneTransferHandler {

  private final PropagationExpectation.ZoneSignatures signatures;

  Tally(PropagationExpectation.ZoneSignatures signatures) {
    this.signatures = signatures;
  }

  @Override
  public void startAXFR() {
    // Nothing to set up: the tally starts empty.
  }

  @Override
  public void startIXFR() throws ZoneTransferException {
    throw new ZoneTransferException("an IXFR was asked for an AXFR");
  }

  @Override
  public void startIXFRDeletes(Record soa) throws ZoneTransferException {
    throw new ZoneTransferException("an IXFR was asked for an AXFR");
  }

  @Override
  public void startIXFRAdds(Record soa) throws ZoneTransferException {
    throw new ZoneTransferException("an IXFR was asked for an AXFR");
  }

  @Override
  public void handleRecord(Record record) {
    signatures.accept(record);
  }
}
