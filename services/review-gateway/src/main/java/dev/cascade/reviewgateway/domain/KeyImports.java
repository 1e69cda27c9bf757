package dev.cascade.reviewgateway.domain;

import dev.cascade.dnssec.keys.BindKeyFile;
import dev.cascade.dnssec.keys.KeyAlgorithm;
import dev.cascade.dnssec.keys.KeyFileException;
import dev.cascade.dnssec.keys.KeyImport;
import dev.cascade.dnssec.keys.KeyWrap;
import dev.cascade.dnssec.keys.SigningKey;
import dev.cascade.dnssec.keys.SigningRole;
import dev.cascade.dnssec.pkcs11.Pkcs11Uri;
import dev.cascade.dnssec.roll.KeySetState;
import dev.cascade.dnssec.roll.KeyState;
import dev.cascade.dnssec.roll.RollPosition;
import dev.cascade.dnssec.roll.RollStepException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * Turns the key files of {@code POST /zone/add}'s {@code keyImports} into keys ready for {@code ZoneAdded}: reads
 * them (dnssec-core {@link BindKeyFile}), checks them ({@link KeyImport#check}: owner, flags, role, pair, algorithm,
 * key tags), and wraps each private key at once.
 *
 * <p>Why review-gateway wraps, under the keymanager's key-encryption key: the CLI may run on another machine and
 * reads the files there (cascade-reference.md §3.1 has the daemon read them; here no service shares the operator's
 * disk), so the private key reaches review-gateway in the request body, and the next hop is the registry topic,
 * which every service reads and which keeps its records. House-style §6 lets a private key travel and rest only
 * AES-GCM-wrapped under the KEK; wrapping it here, bound to the zone and the public key as the keymanager's own wraps
 * are ({@link KeyWrap}), is the one way it never rests in clear on the log. The keymanager unwraps it, checks it again
 * and wraps it anew under its current KEK, so a gateway a KEK rotation behind still works while the keymanager holds
 * that KEK as a previous one. The clear key lives only in this request's memory. A gateway without the KEK refuses
 * imports: nothing else of a zone add needs it.
 */
public final class KeyImports {

  /**
   * An entry of the request: {@code type} ksk, zsk or csk, and the text of the two BIND files; or {@code type} public
   * and the text of the {@code .key} file alone ({@code --import-public-key}); or, for a key taken over in its PKCS#11
   * token ({@code cascade migrate opendnssec}), {@code type} ksk, zsk or csk, the DNSKEY record as {@code publicKey}
   * and the RFC 7512 URI of the private key as {@code privateKeyUri}, with no {@code privateKey}. {@code
   * rollPosition}, null but for a key of a roll the migration takes over half-way, places the key in that roll.
   */
  public record Request(String type, String publicKeyFile, String publicKey, String privateKeyFile,
      String privateKey, String privateKeyUri, RollPosition rollPosition) {}

  /**
   * A checked key, its private half wrapped, or named in its token ({@code privateKeyUri}), or neither for a key only
   * published: what {@code ZoneAdded.importedKeys} carries.
   */
  public record Sealed(SigningRole role, String file, String dnskey, byte[] wrappedPrivateKey,
      String privateKeyUri, RollPosition rollPosition) {}

  private KeyImports() {}

  /**
   * Reads, checks and wraps the keys of one zone add.
   *
   * @param keyWrap the KEK, or null when review-gateway has none (then any import of a private key is refused)
   * @throws IllegalArgumentException with the reason, for a 400: the message names the file, never key material
   */
  public static List<Sealed> seal(String zone, Policy policy, List<Request> requests, KeyWrap keyWrap) {
    if (requests == null || requests.isEmpty()) {
      return List.of();
    }
    List<KeyImport.Imported> keys = new ArrayList<>();
    Map<KeyImport.Imported, RollPosition> positions = new IdentityHashMap<>();
    for (Request r : requests) {
      KeyImport.Imported key = read(r);
      keys.add(key);
      if (r.rollPosition() != null) {
        if (key.publicOnly()) {
          throw new IllegalArgumentException(key.file() + ": a key only published takes no part in a roll");
        }
        positions.put(key, r.rollPosition());
      }
    }
    if (keyWrap == null && keys.stream().anyMatch(k -> k.privateKey() != null)) {
      throw new IllegalArgumentException("review-gateway has no key-encryption key (CASCADE_KEY_ENCRYPTION_KEY), "
          + "so it cannot take private keys: key import is off");
    }
    Name origin;
    try {
      origin = Name.fromString(zone);
    } catch (TextParseException e) {
      throw new IllegalArgumentException("invalid zone name " + zone, e);
    }
    int algorithm;
    try {
      algorithm = KeyAlgorithm.parse(policy.algorithm()).number();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("policy '" + policy.name() + "' is not usable: " + e.getMessage(), e);
    }
    try {
      // A new zone has no keys yet (ZoneResource refuses a zone that exists); a re-added zone's retired keys are the
      // keymanager's to compare with, which it does on the event.
      KeyImport.check(origin, keys, policy.useCsk(), algorithm, Set.of(),
          key -> positions.containsKey(key) && positions.get(key).arriving());
    } catch (KeyImport.KeyImportException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    if (!positions.isEmpty()) {
      checkRolls(keys, positions);
    }
    return keys.stream().map(k -> new Sealed(k.role(), k.file(), k.dnskey().toString(),
        k.privateKey() == null ? null : keyWrap.wrap(new SigningKey(k.dnskey(), k.privateKey())), k.privateKeyUri(),
        positions.get(k))).toList();
  }

  /**
   * Refuses a roll the keymanager could not take over: the keys placed must fit a phase of a roll of their role
   * ({@link KeySetState#takeOver}). The keymanager runs the same, with the policy's roll type tried first; any type
   * that fits is enough here.
   */
  private static void checkRolls(List<KeyImport.Imported> keys, Map<KeyImport.Imported, RollPosition> positions) {
    List<KeyState> states = new ArrayList<>();
    Map<String, RollPosition> byId = new HashMap<>();
    Instant now = Instant.now();
    for (KeyImport.Imported key : keys) {
      if (key.publicOnly()) {
        continue;
      }
      String id = key.file();
      states.add(KeyState.created(id, key.role(), key.dnskey().getAlgorithm(), key.dnskey().getFootprint(), now));
      if (positions.containsKey(key)) {
        byId.put(id, positions.get(key));
      }
    }
    try {
      KeySetState.takeOver(states, byId, variant -> null, now);
    } catch (RollStepException | IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static KeyImport.Imported read(Request r) {
    if (r == null || r.type() == null || r.publicKey() == null) {
      throw new IllegalArgumentException("each key import needs type and publicKey");
    }
    String publicName = r.publicKeyFile() == null ? "public key" : r.publicKeyFile();
    if (r.type().equalsIgnoreCase("public")) {
      try {
        return KeyImport.Imported.publicKey(publicName, BindKeyFile.parsePublic(publicName, r.publicKey()));
      } catch (KeyFileException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
    }
    if ((r.privateKey() == null) == (r.privateKeyUri() == null)) {
      throw new IllegalArgumentException("a " + r.type() + " key import needs either privateKey or privateKeyUri");
    }
    SigningRole role;
    try {
      role = SigningRole.valueOf(r.type().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("key import type '" + r.type() + "' is not ksk, zsk, csk or public", e);
    }
    if (r.privateKeyUri() != null) {
      // Only the form is checked here: the token is the keymanager's, which opens the key and compares it with the
      // DNSKEY before the key joins the key set.
      Pkcs11Uri.parse(r.privateKeyUri());
      try {
        return new KeyImport.Imported(publicName, role, BindKeyFile.parsePublic(publicName, r.publicKey()), null,
            r.privateKeyUri());
      } catch (KeyFileException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
    }
    String privateName = r.privateKeyFile() == null ? "private key" : r.privateKeyFile();
    try {
      BindKeyFile.Loaded loaded = BindKeyFile.parse(publicName, r.publicKey(), privateName, r.privateKey());
      return new KeyImport.Imported(publicName, role, loaded.key().dnskey(), loaded.key().privateKey());
    } catch (KeyFileException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }
}
