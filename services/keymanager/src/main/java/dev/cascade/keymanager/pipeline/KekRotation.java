package dev.cascade.keymanager.pipeline;

import dev.cascade.dnssec.keys.KeyWrap;
import dev.cascade.dnssec.keys.SigningKey;
import dev.cascade.keymanager.persistence.KeyManagerStore;
import dev.cascade.keymanager.persistence.StoredZoneKey;
import dev.cascade.service.StartupRestore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * Wraps every zone's current keys again under the current key-encryption key, at start, once the key sets are
 * restored: the second half of a KEK rotation (docs/operations.md). A zone whose key set holds a key wrapped under a
 * previous KEK, or wrapped before KEKs had ids, gets its whole key set announced again, the same keys wrapped under
 * the current KEK, and then recorded, as every key set is (announce, then record: a crash in between wraps and
 * announces again at the next start, the same keys). The announcement's cause is the rotation itself ({@code
 * kek/<kek id>/<uuid>}), and a restore from the topic takes only the wrapped keys from it ({@link
 * KeyManagerStore#rewrapped}), so the keys end as they are wrapped now and keep the registry event they were made
 * for. Registry events wait for it, so no key set is announced meanwhile from rows about to change.
 *
 * <p>A zone with a key that no configured KEK unwraps is logged and left as it is; the others go on. Retired keys, kept
 * for a zone added again, are not announced and keep the KEK they had; keep that KEK among the previous ones while
 * such a zone may come back. Nothing here logs key material: zones, key tags and KEK ids only.
 */
@ApplicationScoped
public class KekRotation extends StartupRestore {

  private static final Logger LOG = Logger.getLogger(KekRotation.class);
  private static final String CAUSE_PREFIX = "kek/";
  /** DNSKEY protocol field: always 3 (RFC 4034 §2.1.2). */
  private static final int DNSKEY_PROTOCOL = 3;

  private final KeyManagerStore state;
  private final KeySetEmitter emitter;
  private final KeyWrap keyWrap;
  private final KeySetRestore restore;

  public KekRotation(KeyManagerStore state, KeySetEmitter emitter, KeyWrap keyWrap, KeySetRestore restore) {
    this.state = state;
    this.emitter = emitter;
    this.keyWrap = keyWrap;
    this.restore = restore;
  }

  @Override
  protected String what() {
    return "keys wrapped under an earlier key-encryption key";
  }

  @Override
  protected StartupRestore after() {
    return restore;
  }

  @Override
  protected int restore() {
    return rotate(state.activeKeys());
  }

  /**
   * Wraps again and announces the key set of every zone in {@code activeKeys} (whole key sets, by zone) that holds a
   * key not wrapped under the current KEK; returns how many zones.
   */
  int rotate(List<StoredZoneKey> activeKeys) {
    Map<String, List<StoredZoneKey>> byZone = activeKeys.stream()
        .collect(Collectors.groupingBy(key -> key.zone, LinkedHashMap::new, Collectors.toList()));
    int zones = 0;
    for (Map.Entry<String, List<StoredZoneKey>> zone : byZone.entrySet()) {
      List<StoredZoneKey> keys = zone.getValue();
      // A key a PKCS#11 token keeps, and a key only published, are not wrapped at all: nothing to wrap again.
      List<StoredZoneKey> wrapped = keys.stream().filter(key -> key.wrappedPrivateKey.length > 0).toList();
      if (wrapped.stream().allMatch(key -> keyWrap.wrappedByCurrent(key.wrappedPrivateKey))) {
        continue;
      }
      try {
        wrapped.forEach(this::wrapAgain);
      } catch (IllegalArgumentException e) {
        // The KEK it was wrapped under is not configured: the signer cannot unwrap it either, and the zone's next
        // signing says so. Other zones go on.
        LOG.errorf("zone %s: its keys cannot be wrapped again: %s", zone.getKey(), e.getMessage());
        continue;
      }
      String cause = cause(keyWrap.currentId());
      // Milliseconds, the precision of the announcement, which a restore records.
      Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      emitter.keySetChanged(zone.getKey(), keys.get(0).dnskeyTtl, keys, state.rollsOf(zone.getKey()), cause, now);
      state.rewrapped(cause, now, keys.stream().collect(Collectors.toMap(key -> key.id, key -> key.wrappedPrivateKey)));
      LOG.infof("zone %s: %d key(s) wrapped again under key-encryption key %s and announced (tags %s)",
          zone.getKey(), keys.size(), keyWrap.currentId(), keys.stream().map(key -> key.keyTag).toList());
      zones++;
    }
    return zones;
  }

  /** The cause a rotation's announcement names: {@code kek/<kek id>/<uuid>}, 57 characters, within an event id's 64. */
  static String cause(String kekId) {
    return CAUSE_PREFIX + kekId + "/" + UUID.randomUUID();
  }

  /** Whether {@code causationId} names a rotation rather than a registry event. */
  static boolean isRotation(String causationId) {
    return causationId.startsWith(CAUSE_PREFIX);
  }

  /** Replaces the row's wrapped private key by the same key wrapped under the current KEK. */
  private void wrapAgain(StoredZoneKey key) {
    DNSKEYRecord dnskey;
    try {
      dnskey = new DNSKEYRecord(Name.fromString(key.zone), DClass.IN, key.dnskeyTtl, key.flags, DNSKEY_PROTOCOL,
          key.algorithm, Base64.getDecoder().decode(key.publicKey));
    } catch (TextParseException e) {
      throw new IllegalStateException("stored zone name " + key.zone + " is invalid", e);
    }
    key.wrappedPrivateKey = keyWrap.wrap(new SigningKey(dnskey, keyWrap.unwrap(key.wrappedPrivateKey, dnskey)));
  }
}
