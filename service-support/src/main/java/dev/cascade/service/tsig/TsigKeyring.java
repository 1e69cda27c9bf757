package dev.cascade.service.tsig;

import dev.cascade.dnssec.keys.KeyWrap;
import dev.cascade.dnssec.tsig.TsigAlgorithm;
import dev.cascade.dnssec.tsig.TsigKey;
import dev.cascade.dnssec.tsig.TsigKeys;
import dev.cascade.events.v1.TsigKeyAdded;
import dev.cascade.events.v1.TsigKeyFact;
import dev.cascade.events.v1.TsigKeyRemoved;
import java.nio.ByteBuffer;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jboss.logging.Logger;
import org.xbill.DNS.Name;

/**
 * The TSIG keys as the latest fact of each key name says: added (with its secret, unwrapped under the service's KEK)
 * or removed. Thread-safe: the feed applies facts while DNS threads look keys up.
 *
 * <p>Without a KEK ({@code keyWrap} null), the keyring knows names and algorithms only, as review-gateway needs for
 * its checks; {@link #find} then finds nothing. A secret that does not unwrap (a KEK missing from the service's
 * configuration) is logged, by key name and KEK id, and its key is unusable: requests signed with it get BADKEY.
 */
public final class TsigKeyring implements TsigKeys {

  private static final Logger LOG = Logger.getLogger(TsigKeyring.class);

  /**
   * What is known of a key without its secret.
   *
   * @param name the key name, as {@link TsigKey#displayName(Name)} writes it
   * @param algorithm the IANA algorithm name
   */
  public record Info(String name, String algorithm) {}

  /**
   * A key as its latest fact carries it, the secret still wrapped: what review-gateway wraps again under a new KEK.
   *
   * @param name the key name, as the fact spells it
   * @param algorithm the key's algorithm
   * @param wrappedSecret the secret wrapped under the KEK the fact names
   */
  public record WrappedKey(String name, TsigAlgorithm algorithm, byte[] wrappedSecret) {}

  private record Entry(Info info, WrappedKey wrapped, TsigKey key) {}

  private final KeyWrap keyWrap;
  private final ConcurrentMap<Name, Entry> keys = new ConcurrentHashMap<>();

  /** @param keyWrap the service's KEK, to unwrap secrets; null for a keyring of names only */
  public TsigKeyring(KeyWrap keyWrap) {
    this.keyWrap = keyWrap;
  }

  /** Takes in one fact of the key topic; a fact that cannot be applied is logged and leaves the key as it was. */
  public void apply(TsigKeyFact fact) {
    Name name;
    try {
      name = TsigKey.nameOf(fact.getKeyName());
    } catch (IllegalArgumentException e) {
      LOG.errorf("TSIG key fact %s skipped: %s", fact.getMetadata().getEventId(), e.getMessage());
      return;
    }
    if (fact.getFact() instanceof TsigKeyRemoved) {
      keys.remove(name);
    } else if (fact.getFact() instanceof TsigKeyAdded added) {
      try {
        TsigAlgorithm algorithm = TsigAlgorithm.parse(added.getAlgorithm());
        byte[] wrapped = bytes(added);
        keys.put(name, new Entry(new Info(TsigKey.displayName(name), algorithm.mnemonic()),
            new WrappedKey(fact.getKeyName(), algorithm, wrapped),
            keyWrap == null ? null : TsigKey.unwrap(keyWrap, fact.getKeyName(), algorithm, wrapped)));
      } catch (IllegalArgumentException e) {
        keys.remove(name);
        LOG.errorf("TSIG key %s is unusable: %s", TsigKey.displayName(name), e.getMessage());
      }
    }
  }

  private static byte[] bytes(TsigKeyAdded added) {
    ByteBuffer buffer = added.getWrappedSecret().duplicate();
    byte[] wrapped = new byte[buffer.remaining()];
    buffer.get(wrapped);
    return wrapped;
  }

  @Override
  public Optional<TsigKey> find(Name name) {
    return Optional.ofNullable(keys.get(name)).map(Entry::key);
  }

  /** Whether a key of that name exists (its secret usable here or not). */
  public boolean contains(Name name) {
    return keys.containsKey(name);
  }

  /** Every key, by name. */
  public List<Info> list() {
    return keys.values().stream().map(Entry::info).sorted(Comparator.comparing(Info::name)).toList();
  }

  /** Every key with its secret as wrapped on the topic, in no particular order. */
  public List<WrappedKey> wrappedKeys() {
    return keys.values().stream().map(Entry::wrapped).toList();
  }
}
