// Signing rate through a PKCS#11 token (SunPKCS11), as Cascade signs with keys kept in an HSM: for RSASHA256 (2048
// bits) and ECDSAP256SHA256, with 1 and N threads, (a) the JCA loop one signer thread runs (one Signature per
// thread, so one PKCS#11 session per thread) and (b) Cascade's ZoneSigner signing a generated zone with the key,
// in RRSIGs per second of wall time. bench/hsm.sh runs it next to the raw C_Sign rate of the same token and keys.
// Single-file source launch (Java 11+), with dnssec-core and its run-time jars on the class path:
//   java -cp 'dnssec-core/target/dnssec-core-*.jar:bench/work/lib/*' bench/HsmRate.java \
//       MODULE SLOT TOKEN-LABEL PIN [seconds=3] [threads=1,2]
// Prints for each algorithm "key <mnemonic> <CKA_ID>" (the key it made, for the raw rate) and one line per thread
// count: algorithm, threads, JCA sign/s, zone RRSIGs/s.

import dev.cascade.dnssec.keys.KeyAlgorithm;
import dev.cascade.dnssec.keys.KeyGenerator;
import dev.cascade.dnssec.keys.SigningKey;
import dev.cascade.dnssec.pkcs11.Pkcs11Config;
import dev.cascade.dnssec.pkcs11.Pkcs11Token;
import dev.cascade.dnssec.sign.SignedZone;
import dev.cascade.dnssec.sign.SigningPolicy;
import dev.cascade.dnssec.sign.ZoneSigner;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;

public class HsmRate {
  static final Name ORIGIN = Name.fromConstantString("hsm.bench.");

  public static void main(String[] args) throws Exception {
    Pkcs11Config config =
        new Pkcs11Config(Path.of(args[0]), args[2], Long.parseLong(args[1]), 0, args[3].toCharArray());
    double seconds = args.length > 4 ? Double.parseDouble(args[4]) : 3.0;
    String[] threadCounts = (args.length > 5 ? args[5] : "1,2").split(",");
    Pkcs11Token token = Pkcs11Token.open(config);
    System.out.printf("# java %s, %d CPUs, %.1f s per JCA measurement, token %s via %s%n",
        System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), seconds, args[2], args[0]);
    for (String algorithm : new String[] {"RSASHA256", "ECDSAP256SHA256"}) {
      SigningKey key = token.generate(ORIGIN, KeyAlgorithm.parse(algorithm), KeyGenerator.FLAGS_SEP, 3600);
      String id = new String(token.uriOf(key.dnskey()).id(), StandardCharsets.US_ASCII);
      System.out.println("key " + algorithm + " " + id);
      for (String t : threadCounts) {
        int threads = Integer.parseInt(t.trim());
        double jca = jcaRate(key, algorithm, threads, seconds);
        // A zone that takes about `seconds` to sign: one A RRset and one NSEC per name.
        int names = (int) Math.max(500, jca * seconds / 2);
        double zone = zoneRate(key, threads, names);
        System.out.printf("%-16s threads=%d jca-sign/s=%.0f zone-rrsig/s=%.0f names=%d%n", algorithm, threads, jca,
            zone, names);
      }
    }
  }

  static double jcaRate(SigningKey key, String algorithm, int threads, double seconds)
      throws InterruptedException {
    String jca = algorithm.startsWith("RSA") ? "SHA256withRSA" : "SHA256withECDSAinP1363Format";
    AtomicLong count = new AtomicLong();
    long end = System.nanoTime() + (long) (seconds * 1e9);
    List<Thread> workers = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < threads; i++) {
      Thread w = new Thread(() -> {
        try {
          Signature s = Signature.getInstance(jca, key.provider());
          s.initSign(key.privateKey());
          byte[] data = new byte[200];
          long n = 0;
          while (System.nanoTime() < end) {
            data[0] = (byte) n;
            s.update(data);
            s.sign();
            n++;
          }
          count.addAndGet(n);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      w.start();
      workers.add(w);
    }
    for (Thread w : workers) {
      w.join();
    }
    return count.get() / ((System.nanoTime() - start) / 1e9);
  }

  static double zoneRate(SigningKey key, int threads, int names) throws Exception {
    List<Record> zone = new ArrayList<>();
    zone.add(new SOARecord(ORIGIN, DClass.IN, 3600, Name.fromConstantString("ns.hsm.bench."),
        Name.fromConstantString("hostmaster.hsm.bench."), 1, 3600, 900, 604800, 300));
    zone.add(new NSRecord(ORIGIN, DClass.IN, 3600, Name.fromConstantString("ns.hsm.bench.")));
    for (int i = 0; i < names; i++) {
      zone.add(new ARecord(Name.fromConstantString("h" + i + ".hsm.bench."), DClass.IN, 3600,
          InetAddress.getByAddress(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i})));
    }
    SigningPolicy nsec = new SigningPolicy(SigningPolicy.Denial.NSEC, false, 0, new byte[0], Duration.ofHours(1),
        Duration.ofDays(14), Duration.ofDays(7), Duration.ofHours(12));
    long start = System.nanoTime();
    SignedZone signed = new ZoneSigner(Clock.systemUTC(), threads).sign(ORIGIN, zone, List.of(key), 3600,
        nsec, 2);
    double wall = (System.nanoTime() - start) / 1e9;
    long rrsigs = signed.records().stream().filter(RRSIGRecord.class::isInstance).count();
    return rrsigs / wall;
  }
}
