// Raw ECDSA P-256 (SHA256withECDSA) signing rate of the JCA providers Cascade can use, on this machine.
// Single-file source launch (Java 11+):
//   java -cp 'bench/work/lib/*' bench/ProviderRate.java [seconds=3] [threads=1,2] [providers=BC,ACCP,SunEC]
// Bouncy Castle must be on the class path; Amazon Corretto Crypto Provider (ACCP) is used if it loads
// (looked up by reflection, so this file compiles without it); SunEC is the JDK's own, for reference.
// Prints one line per provider and thread count: provider, threads, signatures/s (all threads together).

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.Security;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

public class ProviderRate {
  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3.0;
    String[] threadCounts = (args.length > 1 ? args[1] : "1,2").split(",");
    String[] wanted = (args.length > 2 ? args[2] : "BC,ACCP,SunEC").split(",");

    List<Provider> providers = new ArrayList<>();
    for (String name : wanted) {
      Provider p = load(name.trim());
      if (p != null) {
        providers.add(p);
      }
    }
    System.out.printf("# java %s, %d CPUs, %.1f s per measurement, ECDSA P-256 SHA256withECDSA over 200-byte messages%n",
        System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), seconds);
    for (Provider p : providers) {
      for (String t : threadCounts) {
        int threads = Integer.parseInt(t.trim());
        double rate = measure(p, threads, seconds);
        System.out.printf("%-30s threads=%d sign/s=%.0f%n", p.getName() + " " + p.getVersionStr(), threads, rate);
      }
    }
  }

  static Provider load(String name) {
    try {
      switch (name) {
        case "BC": {
          Provider p = (Provider) Class.forName("org.bouncycastle.jce.provider.BouncyCastleProvider")
              .getDeclaredConstructor().newInstance();
          Security.addProvider(p);
          return p;
        }
        case "ACCP": {
          Class<?> type = Class.forName("com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider");
          Provider p = (Provider) type.getField("INSTANCE").get(null);
          Object err = type.getMethod("getLoadingError").invoke(p);
          if (err != null) {
            System.out.println("# ACCP not loadable: " + err);
            return null;
          }
          Security.addProvider(p);
          return p;
        }
        case "SunEC":
          return Security.getProvider("SunEC");
        default:
          System.out.println("# unknown provider " + name);
          return null;
      }
    } catch (ReflectiveOperationException | LinkageError e) {
      System.out.println("# " + name + " not available: " + e);
      return null;
    }
  }

  static double measure(Provider p, int threads, double seconds) throws Exception {
    KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC", p);
    kpg.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = kpg.generateKeyPair();
    byte[] msg = new byte[200];
    for (int i = 0; i < msg.length; i++) {
      msg[i] = (byte) (i * 31 + 7);
    }
    // warm-up (JIT) for a third of the measuring time, not counted
    run(p, pair, msg, threads, Math.max(0.5, seconds / 3));
    return run(p, pair, msg, threads, seconds);
  }

  static double run(Provider p, KeyPair pair, byte[] msg, int threads, double seconds) throws Exception {
    AtomicLong count = new AtomicLong();
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    Thread[] workers = new Thread[threads];
    Exception[] failure = new Exception[1];
    long start = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      workers[t] = new Thread(() -> {
        try {
          Signature s = Signature.getInstance("SHA256withECDSA", p);
          byte[] m = msg.clone();
          long n = 0;
          while ((n & 63) != 0 || System.nanoTime() < deadline) {
            m[0] = (byte) n;
            s.initSign(pair.getPrivate());
            s.update(m);
            s.sign();
            n++;
          }
          count.addAndGet(n);
        } catch (Exception e) {
          failure[0] = e;
        }
      });
      workers[t].start();
    }
    for (Thread w : workers) {
      w.join();
    }
    long elapsed = System.nanoTime() - start;
    if (failure[0] != null) {
      throw failure[0];
    }
    return count.get() / (elapsed / 1e9);
  }
}
