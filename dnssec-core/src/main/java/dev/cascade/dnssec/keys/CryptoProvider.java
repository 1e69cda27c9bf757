package dev.cascade.dnssec.keys;

import java.net.InetAddress;
import java.security.KeyPair;
import java.security.Provider;
import java.security.Security;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;

/**
 * Chooses the JCA provider for signing. Amazon Corretto Crypto Provider (ACCP, native AWS-LC) is
 * fastest where its native library loads (measured about 34k ECDSA P-256 signatures/s against
 * Bouncy Castle's 6.6k, stack-notes §5); Bouncy Castle is the portable fallback. SunEC is never
 * used: it is 6x slower than Bouncy Castle on Java 17 (stack-notes §5). Providers are appended to
 * the JCA list, never put first, so the JVM's defaults (TLS etc.) are untouched.
 */
public final class CryptoProvider {
  /** Bouncy Castle's provider name. */
  public static final String BC = BouncyCastleProvider.PROVIDER_NAME;
  /** ACCP's provider name. */
  public static final String ACCP = "AmazonCorrettoCryptoProvider";

  private static final String ACCP_CLASS = "com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider";
  private static final boolean ACCP_AVAILABLE;
  private static final Map<Integer, String> PER_ALGORITHM = new ConcurrentHashMap<>();

  static {
    if (Security.getProvider(BC) == null) {
      Security.addProvider(new BouncyCastleProvider());
    }
    ACCP_AVAILABLE = registerAccp();
  }

  private CryptoProvider() {}

  /** The fastest available provider in general: ACCP if it loads on this platform, else Bouncy Castle. */
  public static String signingProvider() {
    return ACCP_AVAILABLE ? ACCP : BC;
  }

  /**
   * The fastest available provider that can sign this DNSSEC algorithm with Cascade's keys (ACCP lacks
   * Ed448, for example). Decided once per algorithm by signing and verifying a probe RRset.
   */
  public static String signingProvider(int dnssecAlgorithm) {
    if (!Algorithms.isSupported(dnssecAlgorithm)) {
      throw new IllegalArgumentException("unsupported DNSSEC algorithm " + dnssecAlgorithm);
    }
    return PER_ALGORITHM.computeIfAbsent(dnssecAlgorithm, alg -> ACCP_AVAILABLE && canSign(ACCP, alg) ? ACCP : BC);
  }

  /** Registers Bouncy Castle (idempotent) and returns its name, for key generation and parsing. */
  public static String bouncyCastle() {
    return BC;
  }

  private static boolean registerAccp() {
    try {
      Class<?> type = Class.forName(ACCP_CLASS);
      Provider accp = (Provider) type.getField("INSTANCE").get(null);
      if (type.getMethod("getLoadingError").invoke(accp) != null) {
        return false;
      }
      if (Security.getProvider(ACCP) == null) {
        Security.addProvider(accp);
      }
      return true;
    } catch (ReflectiveOperationException | LinkageError e) {
      // Not on the class path or no native library for this platform: Bouncy Castle it is.
      return false;
    }
  }

  /** Signs a one-record RRset with a fresh Bouncy Castle key through the provider and verifies it. */
  private static boolean canSign(String provider, int algorithm) {
    try {
      // 1024-bit RSA is only for this probe; it keeps the one-off check fast.
      KeyPair pair = KeyGenerator.keyPair(algorithm, 1024);
      Name name = Name.fromConstantString("probe.");
      DNSKEYRecord dnskey = new DNSKEYRecord(name, DClass.IN, 0, KeyGenerator.FLAGS_ZSK,
          DNSKEYRecord.Protocol.DNSSEC, algorithm, pair.getPublic());
      RRset rrset = new RRset(new ARecord(name, DClass.IN, 0, InetAddress.getByAddress(new byte[] {127, 0, 0, 1})));
      Instant now = Instant.now();
      RRSIGRecord rrsig = DNSSEC.sign(rrset, dnskey, pair.getPrivate(), now, now.plusSeconds(60), provider);
      DNSSEC.verify(rrset, rrsig, dnskey, now);
      return true;
    } catch (Exception | LinkageError e) {
      return false;
    }
  }
}
