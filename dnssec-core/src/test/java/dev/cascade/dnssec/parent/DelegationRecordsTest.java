package dev.cascade.dnssec.parent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.keys.KeyGenerator;
import dev.cascade.dnssec.keys.SigningKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;

class DelegationRecordsTest {

  private static final Name ZONE = Name.fromConstantString("example.");
  private static final long TTL = 3600;

  private static DelegationRecords.PublicKey publicKey(SigningKey key) {
    DNSKEYRecord dnskey = key.dnskey();
    return new DelegationRecords.PublicKey(dnskey.getFlags(), dnskey.getAlgorithm(),
        Base64.getEncoder().encodeToString(dnskey.getKey()));
  }

  /** The DS of real keys, as BIND's dnssec-dsfromkey computes it from the same DNSKEY records. */
  @Test
  void theDsIsWhatBindComputesFromTheSameDnskeys(@TempDir Path dir) throws Exception {
    SigningKey ksk = KeyGenerator.generate(ZONE, 13, KeyGenerator.FLAGS_SEP, TTL);
    SigningKey rsa = KeyGenerator.generate(ZONE, 8, KeyGenerator.FLAGS_SEP, TTL);
    List<DelegationRecords.PublicKey> keys = List.of(publicKey(ksk), publicKey(rsa));

    String dnskeys = DelegationRecords.dnskeys(ZONE, TTL, keys);
    Path file = dir.resolve("dnskeys");
    Files.writeString(file, dnskeys);
    Process bind = new ProcessBuilder("dnssec-dsfromkey", "-2", "-T", String.valueOf(TTL), "-f", file.toString(),
        "example.").redirectErrorStream(true).start();
    String expected = new String(bind.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    assertEquals(0, bind.waitFor(), expected);

    String ds = DelegationRecords.ds(ZONE, TTL, DsDigest.SHA_256, keys);
    assertEquals(normalised(expected), normalised(ds));
    assertEquals(2, ds.lines().count());
    String cds = DelegationRecords.cds(ZONE, TTL, DsDigest.SHA_256, keys);
    assertEquals(normalised(ds).replace(" DS ", " CDS "), normalised(cds));
    assertTrue(dnskeys.lines().allMatch(line -> line.startsWith("example.\t\t3600\tIN\tDNSKEY\t257 3 ")), dnskeys);
  }

  @Test
  void aPublicKeyThatIsNotBase64IsRefusedWithTheKeyNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DelegationRecords.ds(
        ZONE, TTL, DsDigest.SHA_256, List.of(new DelegationRecords.PublicKey(257, 13, "not base64!"))));
    assertEquals("the public key of a key with flags 257 and algorithm 13 is not Base64", e.getMessage());
  }

  /** Fields separated by single spaces, upper-case digests: the two tools lay out the same records differently. */
  private static String normalised(String records) {
    return String.join("\n", records.lines().map(line -> String.join(" ", line.trim().split("\\s+")).toUpperCase())
        .sorted().toList());
  }
}
