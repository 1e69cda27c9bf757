package dev.cascade.signer.domain;

import dev.cascade.dnssec.keys.Algorithms;
import dev.cascade.dnssec.keys.KeyGenerator;
import dev.cascade.dnssec.keys.KeyWrap;
import dev.cascade.dnssec.keys.SigningKey;
import dev.cascade.dnssec.serial.SerialPolicy;
import dev.cascade.dnssec.sign.SigningPolicy;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;

/** Small zones, policies and keys for the domain tests. */
final class TestZones {

  /** The test key-encryption key: 32 bytes 0x01..0x20 (the same as the %test profile's). */
  static final byte[] KEK = kek();

  private TestZones() {}

  static Name origin() {
    return name("example.test.");
  }

  static Name name(String text) {
    try {
      return Name.fromString(text);
    } catch (TextParseException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** An unsigned zone: apex SOA, NS, A, a delegation with glue, and an MX. */
  static List<Record> unsignedZone(long serial) {
    List<Record> records = new ArrayList<>();
    for (String line :
        List.of(
            "example.test. 3600 IN SOA ns1.example.test. hostmaster.example.test. " + serial + " 7200 3600 1209600 300",
            "example.test. 3600 IN NS ns1.example.test.",
            "ns1.example.test. 3600 IN A 192.0.2.53",
            "www.example.test. 3600 IN A 192.0.2.80",
            "example.test. 3600 IN MX 10 mail.example.test.",
            "mail.example.test. 3600 IN A 192.0.2.25",
            "child.example.test. 3600 IN NS ns.child.example.test.",
            "ns.child.example.test. 3600 IN A 192.0.2.99")) {
      records.add(parse(line));
    }
    return records;
  }

  /** One record in presentation format (RFC 1035 §5.1), parsed by dnsjava's master file reader. */
  static Record parse(String line) {
    try (Master master = new Master(new ByteArrayInputStream(line.getBytes(StandardCharsets.US_ASCII)), Name.root, 3600)) {
      return master.nextRecord();
    } catch (IOException e) {
      throw new IllegalArgumentException(line, e);
    }
  }

  /**
   * Reference Cascade-like policy: NSEC, 1 h inception offset, 14 days lifetime, 7 days remain time, 12 h refresh
   * interval.
   */
  static ZonePolicy policy(SerialPolicy serialPolicy) {
    return new ZonePolicy(
        serialPolicy,
        new SigningPolicy(
            SigningPolicy.Denial.NSEC, false, 0, new byte[0], Duration.ofHours(1), Duration.ofDays(14),
            Duration.ofDays(7), Duration.ofHours(12)));
  }

  /** A KSK and a ZSK, ECDSAP256SHA256. */
  static List<SigningKey> keys() {
    return List.of(
        KeyGenerator.generate(origin(), Algorithms.ECDSAP256SHA256, KeyGenerator.FLAGS_SEP, 3600),
        KeyGenerator.generate(origin(), Algorithms.ECDSAP256SHA256, KeyGenerator.FLAGS_ZSK, 3600));
  }

  /** The key set as the key manager would announce it, private keys wrapped with {@link #KEK}. */
  static WrappedKeySet wrapped(List<SigningKey> keys, String eventId) {
    KeyWrap wrap = new KeyWrap(KEK);
    List<WrappedKey> wrappedKeys = new ArrayList<>();
    for (SigningKey key : keys) {
      wrappedKeys.add(
          new WrappedKey(
              key.keyTag(),
              key.algorithm(),
              key.dnskey().getFlags(),
              key.isSep() ? "KSK" : "ZSK",
              Base64.getEncoder().encodeToString(key.dnskey().getKey()),
              wrap.wrap(key),
              key.use()));
    }
    return new WrappedKeySet("example.test.", eventId, 3600, wrappedKeys);
  }

  private static byte[] kek() {
    byte[] kek = new byte[32];
    for (int i = 0; i < kek.length; i++) {
      kek[i] = (byte) (i + 1);
    }
    return kek;
  }

  static String kekBase64() {
    return Base64.getEncoder().encodeToString(KEK);
  }
}
