package dev.cascade.cli;

import dev.cascade.dnssec.keys.BindKeyFile;
import dev.cascade.dnssec.keys.CryptoProvider;
import dev.cascade.dnssec.keys.KeyFileException;
import dev.cascade.dnssec.keys.SigningKey;
import dev.cascade.dnssec.sign.SignedZone;
import dev.cascade.dnssec.sign.SigningCounts;
import dev.cascade.dnssec.sign.SigningPolicy;
import dev.cascade.dnssec.sign.ZoneSigner;
import dev.cascade.dnssec.verify.VerificationReport;
import dev.cascade.dnssec.verify.ZoneVerifier;
import dev.cascade.dnssec.zone.ParallelZoneFileWriter;
import dev.cascade.dnssec.zone.ParsedZone;
import dev.cascade.dnssec.zone.ZoneFileParser;
import dev.cascade.dnssec.zone.ZoneInputException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code cascade signzone}: signs a zone file offline with BIND key files, like {@code dnssec-signzone}
 * (BIND 9.18 man page): same key files, same time syntax, output in canonical order (RFC 4034 §6). It uses
 * the signer service's code (dnssec-core {@link ZoneFileParser} and {@link ZoneSigner}) without the bus.
 */
@Command(name = "signzone", mixinStandardHelpOptions = true,
    description = "Sign a zone file with BIND key files (K<zone>+<alg>+<tag>.key and .private), like dnssec-signzone.")
final class SignZoneCommand implements Callable<Integer> {
  /** dnssec-signzone's default inception: one hour before now, to allow for clock skew (BIND 9.18 man page, -s). */
  static final Duration DEFAULT_INCEPTION_OFFSET = Duration.ofHours(1);
  /** dnssec-signzone's default expiration: 30 days after the inception (BIND 9.18 man page, -e). */
  static final Duration DEFAULT_LIFETIME = Duration.ofDays(30);
  /**
   * Reference Cascade defaults for {@code signature-remain-time} (1w) and {@code signature-refresh-interval} (12h).
   * A signing policy needs them, but the offline signer signs with an explicit window and never refreshes.
   */
  static final Duration DEFAULT_REMAIN_TIME = Duration.ofDays(7);
  static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofHours(12);
  private static final DateTimeFormatter ABSOLUTE = DateTimeFormatter.ofPattern("uuuuMMddHHmmss", Locale.ROOT);

  @ParentCommand Main main;

  @Spec CommandSpec spec;

  @Option(names = "-o", paramLabel = "ORIGIN", description = "Zone origin (default: the zone file's name).")
  String origin;

  @Option(names = "-f", paramLabel = "OUTPUT", description = "Output file (default: <zonefile>.signed).")
  Path output;

  @Option(names = "--nsec3", description = "Use NSEC3 (RFC 5155) instead of NSEC.")
  boolean nsec3;

  @Option(names = "--opt-out", description = "NSEC3 opt-out: leave insecure delegations out of the chain (RFC 5155 §6).")
  boolean optOut;

  @Option(names = "--iterations", paramLabel = "N", defaultValue = "0",
      description = "NSEC3 additional iterations (default: 0, RFC 9276 §3.1).")
  int iterations;

  @Option(names = "--salt", paramLabel = "HEX|-", defaultValue = "-",
      description = "NSEC3 salt in hex, or - for none (default: -, RFC 9276 §3.1).")
  String salt;

  @Option(names = {"-n", "--threads"}, paramLabel = "N",
      description = "Signing threads (default: the number of CPUs).")
  Integer threads;

  @Option(names = {"-s", "--inception"}, paramLabel = "TIME",
      description = "Signature inception: YYYYMMDDHHMMSS, +N or now+N seconds from now (default: now-3600).")
  String inception;

  @Option(names = {"-e", "--expiration"}, paramLabel = "TIME",
      description = "Signature expiration: YYYYMMDDHHMMSS, +N seconds from the inception, or now+N (default: inception+30 days).")
  String expiration;

  @Option(names = {"-T", "--dnskey-ttl"}, paramLabel = "TTL",
      description = "DNSKEY TTL (default: the key files' TTL, else the SOA's TTL, as dnssec-signzone).")
  Long dnskeyTtl;

  @Option(names = "--verify",
      description = "Run the signer's verification gate (ZoneVerifier, independent of the signing code) on the result.")
  boolean verify;

  @Parameters(index = "0", paramLabel = "ZONEFILE", description = "The unsigned zone file.")
  Path zoneFile;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "KEYFILE",
      description = "BIND key files (K<zone>+<alg>+<tag>.key); a key with the SEP flag (257) is a KSK.")
  List<Path> keyFiles;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    Instant now = main.clock().instant();
    Instant from = inception == null ? now.minus(DEFAULT_INCEPTION_OFFSET) : time(inception, now, now, "--inception");
    Instant until = expiration == null ? from.plus(DEFAULT_LIFETIME) : time(expiration, from, now, "--expiration");
    if (!until.isAfter(from)) {
      throw new CliException.Usage("the expiration " + until + " is not after the inception " + from);
    }
    SigningPolicy policy = policy();
    policy.nsec3Advice().ifPresent(advice -> err.println("warning: " + advice));
    int threadCount = threads != null ? threads : Runtime.getRuntime().availableProcessors();
    if (threadCount < 1) {
      throw new CliException.Usage("--threads must be at least 1");
    }
    Name apex = origin();
    Path out = output != null ? output : Path.of(zoneFile + ".signed");

    long start = System.nanoTime();
    List<SigningKey> keys = new ArrayList<>();
    TreeSet<Long> keyTtls = new TreeSet<>();
    for (Path keyFile : keyFiles) {
      try {
        BindKeyFile.Loaded loaded = BindKeyFile.read(keyFile);
        if (!loaded.key().dnskey().getName().equals(apex)) {
          throw new CliException(keyFile + ": the key belongs to " + loaded.key().dnskey().getName() + ", not " + apex);
        }
        keys.add(loaded.key());
        if (loaded.ttl() != null) {
          keyTtls.add(loaded.ttl());
        }
      } catch (KeyFileException e) {
        throw new CliException(e.getMessage(), e);
      }
    }
    long parseStart = System.nanoTime();
    long parseCpu = processCpuNanos();
    ParsedZone zone;
    try {
      zone = ZoneFileParser.parse(zoneFile, apex);
    } catch (ZoneInputException e) {
      throw new CliException(e.getMessage(), e);
    }
    zone.warningsAndNotes().forEach(w -> err.println("warning: " + zoneFile + ": " + w));
    long ttl = dnskeyTtl != null ? dnskeyTtl
        : !keyTtls.isEmpty() ? keyTtls.first() : zone.records().stream().filter(r -> r.getType() == org.xbill.DNS.Type.SOA)
            .findFirst().orElseThrow().getTTL();

    long signStart = System.nanoTime();
    long signCpu = processCpuNanos();
    ZoneSigner signer = new ZoneSigner(main.clock(), threadCount);
    SigningCounts stats;
    long written;
    try {
      if (verify) {
        // The gate needs the whole signed zone in memory; without it the zone is streamed to the file.
        SignedZone signed = signer.sign(apex, zone.records(), keys, ttl, policy, zone.serial(), from, until);
        List<DNSKEYRecord> published = keys.stream().map(SigningKey::dnskey).toList();
        VerificationReport report = ZoneVerifier.verify(apex, signed.records(), published,
            from.isAfter(now) ? from : now, Duration.ZERO);
        if (!report.ok()) {
          throw new CliException("the signed zone fails verification: " + String.join("; ",
              report.problems().subList(0, Math.min(5, report.problems().size()))));
        }
        err.printf(Locale.ROOT, "Verified %d RRSIGs in %.2f s%n", signed.stats().rrsigCount(),
            (System.nanoTime() - signStart) / 1e9);
        stats = signed.stats();
        written = write(out, threadCount, w -> signed.records().forEach(w));
      } else {
        SigningCounts[] result = new SigningCounts[1];
        written = write(out, threadCount, w -> result[0] = signer.sign(apex, zone.records(), keys, ttl, policy, zone.serial(),
            from, until, w));
        stats = result[0];
      }
    } catch (IllegalArgumentException e) {
      throw new CliException(zoneFile + ": " + e.getMessage(), e);
    }
    long end = System.nanoTime();
    long endCpu = processCpuNanos();
    double seconds = (end - start) / 1e9;
    err.printf(Locale.ROOT, "Signed %s: %d records in, %d out, %d RRSIGs, %d %s, %.2f s, %.0f sig/s, provider %s, %d threads%n",
        apex, stats.unsignedRrCount(), written, stats.rrsigCount(), stats.denialRrCount(),
        nsec3 ? "NSEC3" : "NSEC", seconds, stats.rrsigCount() / seconds, providers(keys), stats.threads());
    err.printf(Locale.ROOT, "Phases (wall/CPU s): keys %.2f, parse %.2f/%.2f, sign+write %.2f/%.2f%n",
        (parseStart - start) / 1e9, (signStart - parseStart) / 1e9, (signCpu - parseCpu) / 1e9,
        (end - signStart) / 1e9, (endCpu - signCpu) / 1e9);
    err.flush();
    return 0;
  }

  private SigningPolicy policy() {
    if (optOut && !nsec3) {
      throw new CliException.Usage("--opt-out needs --nsec3 (RFC 5155 §6)");
    }
    byte[] saltBytes;
    if (salt.equals("-")) {
      saltBytes = new byte[0];
    } else {
      try {
        saltBytes = HexFormat.of().parseHex(salt);
      } catch (IllegalArgumentException e) {
        throw new CliException.Usage("--salt must be hex or -, not " + salt);
      }
    }
    try {
      return new SigningPolicy(nsec3 ? SigningPolicy.Denial.NSEC3 : SigningPolicy.Denial.NSEC, optOut, iterations,
          saltBytes, DEFAULT_INCEPTION_OFFSET, DEFAULT_LIFETIME, DEFAULT_REMAIN_TIME, DEFAULT_REFRESH_INTERVAL);
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage(), e);
    }
  }

  private Name origin() {
    String text = origin != null ? origin : zoneFile.getFileName().toString();
    try {
      return Name.fromString(text, Name.root);
    } catch (TextParseException e) {
      throw new CliException.Usage("-o: invalid origin " + text + ": " + e.getMessage(), e);
    }
  }

  /**
   * dnssec-signzone's time syntax: {@code YYYYMMDDHHMMSS} (UTC), {@code now+N} (seconds from now) or {@code +N}
   * (seconds from {@code relativeBase}: now for the inception, the inception for the expiration).
   */
  static Instant time(String text, Instant relativeBase, Instant now, String option) {
    try {
      if (text.startsWith("now+")) {
        return now.plusSeconds(Long.parseUnsignedLong(text.substring(4)));
      }
      if (text.equals("now")) {
        return now;
      }
      if (text.startsWith("+")) {
        return relativeBase.plusSeconds(Long.parseUnsignedLong(text.substring(1)));
      }
      if (text.length() == 14) {
        return LocalDateTime.parse(text, ABSOLUTE).toInstant(ZoneOffset.UTC);
      }
    } catch (NumberFormatException | DateTimeParseException e) {
      // reported below with the accepted forms
    }
    throw new CliException.Usage(option + ": invalid time " + text + "; use YYYYMMDDHHMMSS, +N or now+N");
  }

  /** CPU time of the whole process (all threads, GC and JIT included), for the phase report. */
  private static long processCpuNanos() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : 0;
  }

  private static String providers(List<SigningKey> keys) {
    return String.join(",", keys.stream().map(k -> CryptoProvider.signingProvider(k.algorithm())).distinct().toList());
  }

  /**
   * Writes through a temporary file in the output's directory and renames it, so a failed run leaves no half zone.
   * {@code producer} hands the records, in order, to the consumer it is given; {@code threads} threads format them
   * in batches ({@link ParallelZoneFileWriter}). Returns how many were written.
   */
  private static long write(Path out, int threads, Consumer<Consumer<Record>> producer) throws IOException {
    Path dir = out.toAbsolutePath().getParent();
    Path tmp = Files.createTempFile(dir, out.getFileName().toString(), ".tmp");
    long count;
    try {
      try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20);
          ParallelZoneFileWriter zw = new ParallelZoneFileWriter(file, threads)) {
        producer.accept(r -> {
          try {
            zw.write(r);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
        count = zw.finish();
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
      Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
    return count;
  }


}
