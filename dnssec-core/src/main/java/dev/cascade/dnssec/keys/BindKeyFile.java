package dev.cascade.dnssec.keys;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.KeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TTL;
import org.xbill.DNS.Tokenizer;
import org.xbill.DNS.Type;

/**
 * Reads a key pair in the files BIND's {@code dnssec-keygen} writes: {@code K<zone>+<alg>+<tag>.key} (the
 * DNSKEY record in presentation format, after {@code ;} comment lines) and its sibling
 * {@code K<zone>+<alg>+<tag>.private} ("Private-key-format: v1.3": {@code Field: value} lines, binary
 * values in base64). Fields used, as BIND writes them (lib/dns/dst_parse.c): {@code Algorithm}; for RSA
 * {@code Modulus, PublicExponent, PrivateExponent, Prime1, Prime2, Exponent1, Exponent2, Coefficient};
 * for ECDSA (RFC 6605) and EdDSA (RFC 8080) {@code PrivateKey} (the scalar d, or the RFC 8032 seed).
 * An ECDSA scalar may come without its leading zero octets, as BIND writes it ({@link #scalar}).
 * Timing metadata (Created, Publish, Activate, ...) is ignored: the caller decides what to sign with.
 */
public final class BindKeyFile {
  /** RFC 8410 §7 PKCS#8 prefix of an Ed25519 private key; the 32-octet seed follows. */
  private static final byte[] ED25519_PKCS8 = hex("302e020100300506032b657004220420");
  /** RFC 8410 §7 PKCS#8 prefix of an Ed448 private key; the 57-octet seed follows. */
  private static final byte[] ED448_PKCS8 = hex("3047020100300506032b6571043b0439");
  private static final Pattern FIELD = Pattern.compile("^([A-Za-z0-9-]+):\\s*(.*?)\\s*$");
  private static final Pattern ALGORITHM = Pattern.compile("^(\\d+)(\\s.*)?$");
  private static final Pattern TOKENIZER_ERROR = Pattern.compile("^<none>:(\\d+): (.*)$", Pattern.DOTALL);
  private static final List<String> RSA_FIELDS = List.of("Modulus", "PublicExponent", "PrivateExponent", "Prime1",
      "Prime2", "Exponent1", "Exponent2", "Coefficient");

  private BindKeyFile() {}

  /** A key read from disk: the pair, and whether the {@code .key} file gave the DNSKEY a TTL. */
  public record Loaded(SigningKey key, Long ttl) {}

  /**
   * Reads a key pair.
   *
   * @param path the {@code .key} file, the {@code .private} file or their common name without extension
   *     (as {@code dnssec-signzone} accepts)
   * @throws KeyFileException if either file is missing, malformed, or the private key does not belong to the DNSKEY
   */
  public static Loaded read(Path path) throws KeyFileException {
    Path publicFile = publicFileOf(path);
    Path privateFile = privateFileOf(path);
    return parse(publicFile.toString(), lines(publicFile), privateFile.toString(), lines(privateFile));
  }

  /**
   * Reads a key pair from the text of its two files, as a client that read them elsewhere hands them on ({@code cascade
   * zone add --import-ksk-file}).
   *
   * @param publicName the {@code .key} file's name, for messages
   * @param privateName the {@code .private} file's name, for messages
   * @throws KeyFileException if either text is malformed, or the private key does not belong to the DNSKEY
   */
  public static Loaded parse(String publicName, String publicText, String privateName, String privateText)
      throws KeyFileException {
    return parse(publicName, publicText.lines().toList(), privateName, privateText.lines().toList());
  }

  /**
   * Reads the DNSKEY of a {@code .key} file alone, from its text: a key whose private half is elsewhere ({@code cascade
   * zone add --import-public-key}).
   *
   * @param name the file's name, for messages
   * @throws KeyFileException if the text holds no DNSKEY record of a zone key with a supported algorithm
   */
  public static DNSKEYRecord parsePublic(String name, String text) throws KeyFileException {
    return readPublic(name, text.lines().toList()).dnskey();
  }

  /** The {@code .key} file of {@code path}: the {@code .key} file, the {@code .private} file or their common name. */
  public static Path publicFileOf(Path path) {
    return path.resolveSibling(baseName(path) + ".key");
  }

  /** The {@code .private} file of {@code path}, named as in {@link #publicFileOf}. */
  public static Path privateFileOf(Path path) {
    return path.resolveSibling(baseName(path) + ".private");
  }

  private static String baseName(Path path) {
    String name = path.getFileName().toString();
    return name.endsWith(".key") ? name.substring(0, name.length() - 4)
        : name.endsWith(".private") ? name.substring(0, name.length() - 8) : name;
  }

  private static Loaded parse(String publicName, List<String> publicLines, String privateName,
      List<String> privateLines) throws KeyFileException {
    PublicPart pub = readPublic(publicName, publicLines);
    DNSKEYRecord dnskey = pub.dnskey();
    PrivateKey privateKey = readPrivate(privateName, privateLines, dnskey.getAlgorithm());
    if (!pairMatches(dnskey, privateKey)) {
      throw new KeyFileException(privateName, null, "the private key does not belong to the DNSKEY in "
          + publicName + " (key tag " + dnskey.getFootprint() + ")");
    }
    return new Loaded(new SigningKey(dnskey, privateKey), pub.ttl());
  }

  /** The {@code .key} file's content: the DNSKEY, and its TTL if the file gave one. */
  private record PublicPart(DNSKEYRecord dnskey, Long ttl) {}

  private static PublicPart readPublic(String display, List<String> lines) throws KeyFileException {
    int first = 0;
    while (first < lines.size() && (lines.get(first).isBlank() || lines.get(first).stripLeading().startsWith(";"))) {
      first++;
    }
    if (first == lines.size()) {
      throw new KeyFileException(display, null, "no DNSKEY record");
    }
    int line = first + 1;
    String text = String.join("\n", lines.subList(first, lines.size()));
    try (Tokenizer st = new Tokenizer(text)) {
      Name owner = st.getName(Name.root);
      Long ttl = null;
      String s = st.getString();
      if (!s.isEmpty() && Character.isDigit(s.charAt(0))) {
        ttl = TTL.parseTTL(s);
        s = st.getString();
      }
      if (DClass.value(s) >= 0) {
        if (DClass.value(s) != DClass.IN) {
          throw new KeyFileException(display, line, "class " + s + " is not supported, only IN");
        }
        s = st.getString();
      }
      if (Type.value(s) != Type.DNSKEY) {
        throw new KeyFileException(display, line, "expected a DNSKEY record, found type " + s);
      }
      DNSKEYRecord dnskey = (DNSKEYRecord) Record.fromString(owner, Type.DNSKEY, DClass.IN, ttl == null ? 0 : ttl, st,
          Name.root);
      if ((dnskey.getFlags() & DNSKEYRecord.Flags.ZONE_KEY) == 0) {
        throw new KeyFileException(display, line, "DNSKEY flags " + dnskey.getFlags()
            + " lack the Zone Key bit: not a zone signing key (RFC 4034 §2.1.1)");
      }
      if (dnskey.getProtocol() != DNSKEYRecord.Protocol.DNSSEC) {
        throw new KeyFileException(display, line, "DNSKEY protocol must be 3 (RFC 4034 §2.1.2)");
      }
      if (!Algorithms.isSupported(dnskey.getAlgorithm())) {
        throw new KeyFileException(display, line, "unsupported DNSSEC algorithm " + dnskey.getAlgorithm());
      }
      return new PublicPart(dnskey, ttl);
    } catch (IOException e) {
      Matcher m = TOKENIZER_ERROR.matcher(String.valueOf(e.getMessage()));
      throw m.matches() ? new KeyFileException(display, line + Integer.parseInt(m.group(1)) - 1, m.group(2))
          : new KeyFileException(display, line, String.valueOf(e.getMessage()));
    } catch (IllegalArgumentException e) {
      throw new KeyFileException(display, line, e.getMessage());
    }
  }

  private static PrivateKey readPrivate(String display, List<String> lines, int algorithm) throws KeyFileException {
    Map<String, String> values = new HashMap<>();
    Map<String, Integer> lineOf = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      if (l.isBlank()) {
        continue;
      }
      Matcher m = FIELD.matcher(l);
      if (!m.matches()) {
        throw new KeyFileException(display, i + 1, "expected 'Field: value'");
      }
      if (values.putIfAbsent(m.group(1), m.group(2)) != null) {
        throw new KeyFileException(display, i + 1, "field " + m.group(1) + " appears twice");
      }
      lineOf.put(m.group(1), i + 1);
    }
    String format = require(values, "Private-key-format", display);
    if (!format.startsWith("v1.")) {
      throw new KeyFileException(display, lineOf.get("Private-key-format"),
          "unsupported Private-key-format " + format + ", expected v1.x");
    }
    Matcher alg = ALGORITHM.matcher(require(values, "Algorithm", display));
    if (!alg.matches()) {
      throw new KeyFileException(display, lineOf.get("Algorithm"), "Algorithm must start with a number");
    }
    if (Integer.parseInt(alg.group(1)) != algorithm) {
      throw new KeyFileException(display, lineOf.get("Algorithm"), "algorithm " + alg.group(1)
          + " differs from the DNSKEY's algorithm " + algorithm);
    }
    try {
      KeySpec spec;
      String jca;
      switch (algorithm) {
        case Algorithms.RSASHA256, Algorithms.RSASHA512 -> {
          BigInteger[] v = new BigInteger[RSA_FIELDS.size()];
          for (int i = 0; i < v.length; i++) {
            v[i] = new BigInteger(1, base64(values, lineOf, RSA_FIELDS.get(i), display));
          }
          spec = new RSAPrivateCrtKeySpec(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
          jca = "RSA";
        }
        case Algorithms.ECDSAP256SHA256, Algorithms.ECDSAP384SHA384 -> {
          int size = algorithm == Algorithms.ECDSAP256SHA256 ? 32 : 48;
          AlgorithmParameters params = AlgorithmParameters.getInstance("EC", CryptoProvider.bouncyCastle());
          params.init(new ECGenParameterSpec(size == 32 ? "secp256r1" : "secp384r1"));  // RFC 6605 §2
          ECParameterSpec curve = params.getParameterSpec(ECParameterSpec.class);
          spec = new ECPrivateKeySpec(scalar(values, lineOf, size, curve.getOrder(), display), curve);
          jca = "EC";
        }
        case Algorithms.ED25519 -> {
          spec = new PKCS8EncodedKeySpec(concat(ED25519_PKCS8, sized(values, lineOf, 32, display)));
          jca = "Ed25519";
        }
        case Algorithms.ED448 -> {
          spec = new PKCS8EncodedKeySpec(concat(ED448_PKCS8, sized(values, lineOf, 57, display)));
          jca = "Ed448";
        }
        default -> throw new KeyFileException(display, lineOf.get("Algorithm"), "unsupported algorithm " + algorithm);
      }
      return KeyFactory.getInstance(jca, CryptoProvider.bouncyCastle()).generatePrivate(spec);
    } catch (GeneralSecurityException e) {
      throw new KeyFileException(display, null, "not a valid " + Algorithms.mnemonic(algorithm) + " private key: "
          + e.getMessage());
    }
  }

  /**
   * The {@code PrivateKey} field of an ECDSA key: the scalar d as an unsigned big-endian integer of at most
   * {@code size} octets (32 for P-256, 48 for P-384: the size of x and y in RFC 6605 §4), read as if left-padded
   * with zero octets. BIND writes d without its leading zero octets, so about one P-256 key in 256 has a 31-octet
   * field (3 of 700 keys made with dnssec-keygen 9.18.49) and one P-384 key in 256 a 47-octet one; BIND, Knot and
   * ldns read that short form (issue 12). A longer field, or a d outside 1 to n-1 (SEC 1 §3.2.1), is refused.
   */
  private static BigInteger scalar(Map<String, String> values, Map<String, Integer> lineOf, int size, BigInteger order,
      String file) throws KeyFileException {
    byte[] b = base64(values, lineOf, "PrivateKey", file);
    if (b.length > size) {
      throw new KeyFileException(file, lineOf.get("PrivateKey"),
          "PrivateKey is " + b.length + " octets, expected at most " + size);
    }
    BigInteger d = new BigInteger(1, b);
    if (d.signum() == 0 || d.compareTo(order) >= 0) {
      throw new KeyFileException(file, lineOf.get("PrivateKey"),
          "PrivateKey is not a scalar from 1 to the curve order - 1 (SEC 1 §3.2.1)");
    }
    return d;
  }

  /**
   * The {@code PrivateKey} field of an EdDSA key, which must decode to exactly {@code size} octets: the seed is an
   * octet string, not an integer, so no octet of it can be dropped (RFC 8032 §5.1.5 and §5.2.5).
   */
  private static byte[] sized(Map<String, String> values, Map<String, Integer> lineOf, int size, String file)
      throws KeyFileException {
    byte[] b = base64(values, lineOf, "PrivateKey", file);
    if (b.length != size) {
      throw new KeyFileException(file, lineOf.get("PrivateKey"), "PrivateKey is " + b.length + " octets, expected " + size);
    }
    return b;
  }

  private static byte[] base64(Map<String, String> values, Map<String, Integer> lineOf, String field, String file)
      throws KeyFileException {
    String v = require(values, field, file);
    try {
      return Base64.getMimeDecoder().decode(v);
    } catch (IllegalArgumentException e) {
      throw new KeyFileException(file, lineOf.get(field), field + " is not valid base64");
    }
  }

  private static String require(Map<String, String> values, String field, String file) throws KeyFileException {
    String v = values.get(field);
    if (v == null) {
      throw new KeyFileException(file, null, "missing field " + field);
    }
    return v;
  }

  /**
   * Whether {@code privateKey} is the private half of {@code dnskey}: signs a probe with the private key and verifies
   * it with the DNSKEY's public key (Bouncy Castle both ways). False for an algorithm this engine does not sign.
   */
  public static boolean pairMatches(DNSKEYRecord dnskey, PrivateKey privateKey) {
    String jca = switch (dnskey.getAlgorithm()) {
      case Algorithms.RSASHA256 -> "SHA256withRSA";
      case Algorithms.RSASHA512 -> "SHA512withRSA";
      case Algorithms.ECDSAP256SHA256 -> "SHA256withECDSA";
      case Algorithms.ECDSAP384SHA384 -> "SHA384withECDSA";
      case Algorithms.ED25519 -> "Ed25519";
      case Algorithms.ED448 -> "Ed448";
      default -> null;
    };
    if (jca == null) {
      return false;
    }
    try {
      byte[] probe = "cascade key check".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(jca, CryptoProvider.bouncyCastle());
      signer.initSign(privateKey);
      signer.update(probe);
      byte[] sig = signer.sign();
      Signature verifier = Signature.getInstance(jca, CryptoProvider.bouncyCastle());
      verifier.initVerify(dnskey.getPublicKey());
      verifier.update(probe);
      return verifier.verify(sig);
    } catch (GeneralSecurityException | DNSSEC.DNSSECException e) {
      return false;
    }
  }

  private static List<String> lines(Path file) throws KeyFileException {
    try {
      return Files.readAllLines(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new KeyFileException(file.toString(), null, "no such file");
    } catch (IOException e) {
      throw new KeyFileException(file.toString(), null, "cannot read: " + e.getMessage());
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = new byte[a.length + b.length];
    System.arraycopy(a, 0, c, 0, a.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  private static byte[] hex(String s) {
    return java.util.HexFormat.of().parseHex(s);
  }
}
