package dev.cascade.signer.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The head of a zone's latest key set; its keys are {@link StoredZoneKey} rows, replaced in the same transaction. */
@Entity
@Table(name = "key_set")
public class StoredKeySet extends PanacheEntityBase {

  /** Apex, lower case, absolute. */
  @Id
  @Column(name = "zone", nullable = false)
  public String zone;

  /** Id of the KeySetChanged event the set came from. */
  @Column(name = "event_id", nullable = false, length = 64)
  public String eventId;

  /** TTL of the DNSKEY RRset in seconds. */
  @Column(name = "dnskey_ttl", nullable = false)
  public long dnskeyTtl;

  /** The CDS and CDNSKEY records in zone-file text, one a line; empty for none. */
  @Column(name = "cds_and_cdnskey", nullable = false, length = 8192)
  public String cdsAndCdnskey;

  @Column(name = "updated_at", nullable = false)
  public Instant updatedAt;
}
