package dev.cascade.dnssec.tsig;

import dev.cascade.dnssec.keys.KeyWrap;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.spec.SecretKeySpec;
import org.xbill.DNS.Name;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TextParseException;

/**
 * A TSIG key (RFC 8945 §4.2): its name, which is a domain name that both ends must agree on, its algorithm and its
 * shared secret. The secret never appears in {@link #toString()} nor in any error message of this class: it is
 * wrapped under the key-encryption key at rest and on the bus ({@link #wrap}), like private DNSSEC keys.
 */
public final class TsigKey {

  /** {@code key "name" { algorithm hmac-sha256; secret "base64"; };}, as BIND's tsig-keygen writes it. */
  private static final Pattern BIND_KEY = Pattern.compile(
      "key\\s+(\"[^\"]*\"|[^\\s{]+)\\s*\\{([^}]*)}\\s*;", Pattern.CASE_INSENSITIVE);
  private static final Pattern BIND_ALGORITHM = Pattern.compile(
      "algorithm\\s+\"?([^\";\\s]+)\"?\\s*;", Pattern.CASE_INSENSITIVE);
  private static final Pattern BIND_SECRET = Pattern.compile("secret\\s+\"([^\"]*)\"\\s*;", Pattern.CASE_INSENSITIVE);
  /** Binds a wrapped secret to its use; cannot be the first octet of a DNSKEY binding (a label length ≤ 63). */
  private static final byte[] WRAP_CONTEXT = "tsig".getBytes(StandardCharsets.US_ASCII);

  private final Name name;
  private final TsigAlgorithm algorithm;
  private final byte[] secret;

  private TsigKey(Name name, TsigAlgorithm algorithm, byte[] secret) {
    this.name = name;
    this.algorithm = algorithm;
    this.secret = secret.clone();
  }

  /**
   * A key from its parts.
   *
   * @throws IllegalArgumentException if the name is not a domain name or the secret is empty
   */
  public static TsigKey of(String name, TsigAlgorithm algorithm, byte[] secret) {
    if (secret == null || secret.length == 0) {
      throw new IllegalArgumentException("TSIG key " + name + ": the secret is empty");
    }
    return new TsigKey(nameOf(name), algorithm, secret);
  }

  /**
   * A key whose secret is given in base64, as BIND, Knot, NSD and the reference write it.
   *
   * @throws IllegalArgumentException if the name is bad, or the secret not base64 or empty; never shows the secret
   */
  public static TsigKey of(String name, TsigAlgorithm algorithm, String base64Secret) {
    return of(name, algorithm, decodeSecret(name, base64Secret));
  }

  /**
   * The reference's {@code [alg:]name:secret} form (kdig's {@code -y} form too); without an algorithm
   * {@link TsigAlgorithm#DEFAULT}.
   *
   * @throws IllegalArgumentException if the form, algorithm, name or secret is bad; never shows the secret
   */
  public static TsigKey parse(String spec) {
    String[] parts = spec == null ? new String[0] : spec.trim().split(":", -1);
    return switch (parts.length) {
      case 2 -> of(parts[0], TsigAlgorithm.DEFAULT, parts[1]);
      case 3 -> of(parts[1], TsigAlgorithm.parse(parts[0]), parts[2]);
      default -> throw new IllegalArgumentException("a TSIG key is given as [<algorithm>:]<name>:<base64 secret>");
    };
  }

  /**
   * The keys of a BIND key file ({@code tsig-keygen} output, or a named.conf fragment): every
   * {@code key "name" { algorithm ...; secret "..."; };} clause, comments ignored.
   *
   * @throws IllegalArgumentException if there is no key clause, or one lacks its algorithm or secret
   */
  public static List<TsigKey> parseBindKeyFile(String text) {
    String clean = withoutComments(text);
    Matcher key = BIND_KEY.matcher(clean);
    List<TsigKey> keys = new ArrayList<>();
    while (key.find()) {
      String name = key.group(1).replace("\"", "");
      Matcher algorithm = BIND_ALGORITHM.matcher(key.group(2));
      Matcher secret = BIND_SECRET.matcher(key.group(2));
      if (!algorithm.find()) {
        throw new IllegalArgumentException("key " + name + " in the key file has no algorithm statement");
      }
      if (!secret.find()) {
        throw new IllegalArgumentException("key " + name + " in the key file has no secret statement");
      }
      keys.add(of(name, TsigAlgorithm.parse(algorithm.group(1)), secret.group(1)));
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException(
          "no key clause found (expected key \"<name>\" { algorithm <alg>; secret \"<base64>\"; };)");
    }
    return List.copyOf(keys);
  }

  /**
   * named.conf without its comments ({@code #} and {@code //} to the end of the line, C-style blocks), quoted strings
   * kept whole: a base64 secret may hold {@code //}.
   */
  private static String withoutComments(String text) {
    StringBuilder out = new StringBuilder(text.length());
    boolean quoted = false;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (quoted) {
        quoted = c != '"';
        out.append(c);
        i++;
      } else if (c == '#' || text.startsWith("//", i)) {
        int end = text.indexOf('\n', i);
        i = end < 0 ? text.length() : end;
      } else if (text.startsWith("/*", i)) {
        int end = text.indexOf("*/", i + 2);
        i = end < 0 ? text.length() : end + 2;
        out.append(' ');
      } else {
        quoted = c == '"';
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /**
   * The name of a key as a domain name, absolute and lower-cased: key names compare as domain names (RFC 8945 §4.2,
   * "NAME": the owner name of the TSIG RR), so {@code Key1} and {@code key1.} are one key.
   *
   * @throws IllegalArgumentException if it is not a domain name
   */
  public static Name nameOf(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a TSIG key needs a name");
    }
    try {
      return Name.fromString(name.trim().toLowerCase(Locale.ROOT), Name.root);
    } catch (TextParseException e) {
      throw new IllegalArgumentException("TSIG key name '" + name + "' is not a domain name: " + e.getMessage(), e);
    }
  }

  /** The display form of a key name: without the final dot, as the operator typed it. */
  public static String displayName(Name name) {
    return name.toString(true);
  }

  private static byte[] decodeSecret(String name, String base64) {
    if (base64 == null || base64.isBlank()) {
      throw new IllegalArgumentException("TSIG key " + name + ": the secret is empty");
    }
    try {
      return Base64.getDecoder().decode(base64.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("TSIG key " + name + ": the secret is not valid base64");
    }
  }

  public Name name() {
    return name;
  }

  /** {@link #name()} without the final dot. */
  public String displayName() {
    return displayName(name);
  }

  public TsigAlgorithm algorithm() {
    return algorithm;
  }

  /** A copy of the secret. */
  public byte[] secret() {
    return secret.clone();
  }

  /** The dnsjava signer and verifier of this key, on the system clock. */
  public TSIG tsig() {
    return tsig(Clock.systemUTC());
  }

  /** The dnsjava signer and verifier of this key; {@code clock} gives Time Signed and checks the fudge (§5.2.3). */
  public TSIG tsig(Clock clock) {
    String jca = TSIG.nameToAlgorithm(algorithm.dnsName());
    return new TSIG(algorithm.dnsName(), name, new SecretKeySpec(secret, jca), clock);
  }

  /** The secret wrapped under the current KEK, bound to this key's name and algorithm. */
  public byte[] wrap(KeyWrap keyWrap) {
    return keyWrap.wrapSecret(secret, context(name, algorithm));
  }

  /**
   * The key whose secret {@link #wrap} wrapped.
   *
   * @throws IllegalArgumentException if no configured KEK wrapped it, it was wrapped for another key, or it is
   *     damaged
   */
  public static TsigKey unwrap(KeyWrap keyWrap, String name, TsigAlgorithm algorithm, byte[] wrapped) {
    Name keyName = nameOf(name);
    byte[] secret = keyWrap.unwrapSecret(wrapped, context(keyName, algorithm));
    try {
      return of(name, algorithm, secret);
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }

  private static byte[] context(Name name, TsigAlgorithm algorithm) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(WRAP_CONTEXT);
    out.writeBytes(name.toWireCanonical());
    out.writeBytes(algorithm.dnsName().toWireCanonical());
    return out.toByteArray();
  }

  @Override
  public String toString() {
    return "TSIG key " + displayName() + " (" + algorithm.mnemonic() + ")";
  }
}
