package dev.cascade.keymanager.domain;

import dev.cascade.dnssec.parent.CdsPublication;
import dev.cascade.dnssec.parent.DsDigest;

/**
 * The part of a zone's policy about its parent.
 *
 * @param cds when the zone publishes CDS and CDNSKEY ({@code [key-manager.records] cds})
 * @param dsAlgorithm the digest of its DS and CDS records ({@code [key-manager] ds-algorithm})
 * @param dsSubmitHook the command run with {@code sh -c} for each new DS RRset ({@code [key-manager] ds-submit-hook});
 *     null for none
 */
public record ParentPolicy(CdsPublication cds, DsDigest dsAlgorithm, String dsSubmitHook) {

  /** The reference's behaviour, and no hook: a zone recorded before the policy had these keys. */
  public static final ParentPolicy DEFAULT = new ParentPolicy(CdsPublication.DEFAULT, DsDigest.SHA_256, null);
}
