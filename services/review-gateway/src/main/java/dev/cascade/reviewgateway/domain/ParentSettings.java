package dev.cascade.reviewgateway.domain;

import dev.cascade.dnssec.parent.CdsPublication;
import dev.cascade.dnssec.parent.DsDigest;

/**
 * What a policy says about the zone's parent: when CDS and CDNSKEY are published ({@code [key-manager.records]
 * cds}), the DS digest ({@code [key-manager] ds-algorithm}) and the command that submits a new DS RRset
 * ({@code [key-manager] ds-submit-hook}).
 *
 * @param dsSubmitHook run with {@code sh -c}; null for none
 */
public record ParentSettings(CdsPublication cds, DsDigest dsAlgorithm, String dsSubmitHook) {

  /** The reference's behaviour (CDS and CDNSKEY during a roll, SHA-256), and no hook, which it lacks (#346). */
  public static final ParentSettings DEFAULT = new ParentSettings(CdsPublication.DEFAULT, DsDigest.SHA_256, null);
}
