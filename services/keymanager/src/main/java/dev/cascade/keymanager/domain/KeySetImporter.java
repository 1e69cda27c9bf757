package dev.cascade.keymanager.domain;

import dev.cascade.dnssec.keys.KeyImport;
import dev.cascade.dnssec.keys.KeyWrap;
import dev.cascade.dnssec.keys.SigningKey;
import dev.cascade.dnssec.keys.SigningRole;
import dev.cascade.dnssec.roll.RollPosition;
import java.io.IOException;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Tokenizer;
import org.xbill.DNS.Type;

/**
 * Makes a zone's key set from the keys the operator imported ({@code ZoneAdded.importedKeys}, cascade-reference.md
 * §3.1 {@code --import-ksk-file} and friends), generating the policy's roles the import leaves out (a KSK imported
 * from BIND with a fresh ZSK, say).
 *
 * <p>The event comes from review-gateway, which checked the keys already; they are checked again here ({@link
 * KeyImport#check}), since the keymanager alone knows the zone's earlier keys (a re-added zone's retired keys count
 * for key tag collisions) and since the private key is unwrapped here for the first time: a pair that does not match
 * after the trip is refused. The caller stores each private key wrapped anew under the current key-encryption key,
 * so a key that review-gateway wrapped under a KEK the keymanager only keeps as a previous one is stored like any
 * other.
 *
 * <p>A key imported without its private half ({@code --import-public-key}, another signer's key, RFC 8901 §2.1) is
 * only published: it takes no role of the policy, has no validity, and no roll touches it.
 *
 * <p>Validity: an imported key's validity is the policy's for its role, counted from the import, exactly as for a
 * generated key counted from its generation. The timing metadata of BIND's {@code .key} file (Created, Publish,
 * Activate, Inactive, Delete) is not carried: it says what BIND planned under BIND's policy, and a key that has signed
 * for years would otherwise be rolled at once; an operator who wants it rolled sooner starts the roll by hand
 * ({@code cascade keyset <zone> ksk start-roll}).
 */
public final class KeySetImporter {

  /**
   * An imported key as the event carries it: {@code role} KSK, ZSK or CSK; a wrapped private key, or the URI of the
   * private key in this key manager's PKCS#11 token (a key taken over where it is), or neither for a key only
   * published; {@code rollPosition}, null but for a key of a roll taken over half-way, places it in that roll.
   */
  public record Request(String role, String file, String dnskey, byte[] wrappedPrivateKey, String privateKeyUri,
      RollPosition rollPosition) {}

  /** The keys of the zone are not importable; the message names the file and the rule, never key material. */
  public static final class ImportRefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    public ImportRefusedException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final KeySetGenerator generator;
  private final KeyWrap keyWrap;
  private final HsmKeys hsmKeys;
  private final Clock clock;

  public KeySetImporter(KeySetGenerator generator, KeyWrap keyWrap, HsmKeys hsmKeys, Clock clock) {
    this.generator = generator;
    this.keyWrap = keyWrap;
    this.hsmKeys = hsmKeys;
    this.clock = clock;
  }

  /**
   * A key of the new key set, its private key in clear, or in the token, or none for a key only published; {@code
   * privateKeyUri} names a key taken over in the token as it was imported, null otherwise; {@code rollPosition} is
   * the request's.
   */
  public record Member(NewKey key, boolean imported, String privateKeyUri, RollPosition rollPosition) {}

  /** A key read from the event, its key opened in the token when it stays there, and its place in a roll. */
  private record Read(KeyImport.Imported imported, SigningKey tokenKey, RollPosition rollPosition) {}

  /**
   * The zone's new key set: the imported keys, then a generated key for each role of the policy none of them fills.
   *
   * @param tagsInUse key tags of the keys the zone has already (retired ones of a removed zone)
   * @throws ImportRefusedException when a key does not parse, does not unwrap, or fails a check
   */
  public List<Member> importKeys(Name zone, KeyPolicy policy, List<Request> requests, Set<Integer> tagsInUse)
      throws ImportRefusedException {
    List<Read> reads = new ArrayList<>();
    for (Request r : requests) {
      reads.add(read(zone, r));
    }
    List<KeyImport.Imported> keys = reads.stream().map(Read::imported).toList();
    try {
      KeyImport.check(zone, keys, policy.useCsk(), policy.algorithm().number(), tagsInUse, key -> reads.stream()
          .anyMatch(read -> read.imported() == key && read.rollPosition() != null && read.rollPosition().arriving()));
    } catch (KeyImport.KeyImportException e) {
      throw new ImportRefusedException(e.getMessage(), e);
    }
    // Milliseconds, the precision KeySetChanged carries, as for generated keys (KeySetGenerator).
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    List<Member> result = new ArrayList<>();
    Set<Integer> taken = new HashSet<>(tagsInUse);
    for (Read read : reads) {
      KeyImport.Imported k = read.imported();
      DNSKEYRecord dnskey = withTtl(k.dnskey(), policy.dnskeyTtl());
      if (k.publicOnly()) {
        result.add(new Member(new NewKey(k.role(), SigningKey.publicOnly(dnskey), now, null), true, null, null));
      } else if (read.tokenKey() != null) {
        SigningKey inToken = new SigningKey(dnskey, read.tokenKey().privateKey(), null, read.tokenKey().provider());
        result.add(new Member(newKey(k.role(), inToken, policy, now), true, k.privateKeyUri(), read.rollPosition()));
      } else {
        result.add(new Member(newKey(k.role(), new SigningKey(dnskey, k.privateKey()), policy, now), true, null,
            read.rollPosition()));
      }
      taken.add(dnskey.getFootprint());
    }
    for (SigningRole role : policy.roles()) {
      if (keys.stream().noneMatch(k -> !k.publicOnly() && k.role() == role)) {
        NewKey generated = generator.generate(zone, policy, role, taken);
        taken.add(generated.key().keyTag());
        result.add(new Member(generated, false, null, null));
      }
    }
    return List.copyOf(result);
  }

  private static NewKey newKey(SigningRole role, SigningKey key, KeyPolicy policy, Instant now) {
    Duration validity = policy.validity(role);
    return new NewKey(role, key, now, validity.isZero() ? null : now.plus(validity));
  }

  private Read read(Name zone, Request r) throws ImportRefusedException {
    SigningRole role;
    try {
      role = SigningRole.valueOf(r.role());
    } catch (IllegalArgumentException e) {
      throw new ImportRefusedException(r.file() + ": role " + r.role() + " is not KSK, ZSK or CSK", e);
    }
    DNSKEYRecord dnskey;
    try (Tokenizer st = new Tokenizer(r.dnskey())) {
      Name owner = st.getName(zone);
      long ttl = st.getTTL();
      if (DClass.value(st.getString()) != DClass.IN || Type.value(st.getString()) != Type.DNSKEY) {
        throw new ImportRefusedException(r.file() + ": not an IN DNSKEY record", null);
      }
      dnskey = (DNSKEYRecord) Record.fromString(owner, Type.DNSKEY, DClass.IN, ttl, st, zone);
    } catch (IOException | RuntimeException e) {
      throw new ImportRefusedException(r.file() + ": the DNSKEY does not parse: " + e.getMessage(), e);
    }
    if (r.privateKeyUri() != null) {
      try {
        SigningKey tokenKey = hsmKeys.open(r.privateKeyUri(), dnskey);
        return new Read(new KeyImport.Imported(r.file(), role, dnskey, null, r.privateKeyUri()), tokenKey,
            r.rollPosition());
      } catch (IllegalArgumentException e) {
        throw new ImportRefusedException(r.file() + ": " + e.getMessage(), e);
      }
    }
    if (r.wrappedPrivateKey() == null) {
      return new Read(KeyImport.Imported.publicKey(r.file(), dnskey), null, null);
    }
    PrivateKey privateKey;
    try {
      privateKey = keyWrap.unwrap(r.wrappedPrivateKey(), dnskey);
    } catch (IllegalArgumentException e) {
      throw new ImportRefusedException(r.file() + ": " + e.getMessage(), e);
    }
    return new Read(new KeyImport.Imported(r.file(), role, dnskey, privateKey), null, r.rollPosition());
  }

  /** The DNSKEY with the policy's TTL: the zone's DNSKEY RRset has one TTL (RFC 2181 §5.2), the policy's. */
  private static DNSKEYRecord withTtl(DNSKEYRecord k, long ttl) {
    return new DNSKEYRecord(k.getName(), DClass.IN, ttl, k.getFlags(), k.getProtocol(), k.getAlgorithm(), k.getKey());
  }
}
