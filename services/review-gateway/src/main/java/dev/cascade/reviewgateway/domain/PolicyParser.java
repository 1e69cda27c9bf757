package dev.cascade.reviewgateway.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.cascade.dnssec.keys.KeyAlgorithm;
import dev.cascade.dnssec.parent.CdsPublication;
import dev.cascade.dnssec.parent.DsDigest;
import dev.cascade.dnssec.roll.NameServer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads one policy file. The accepted keys are the subset of the reference's policy file (cascade-reference.md §4)
 * that this system acts on; like the reference ({@code deny_unknown_fields}) every other key is an error, so a typo
 * never silently falls back to a default.
 *
 * <p>Defaults are the reference Cascade defaults, except where a comment says otherwise.
 */
public final class PolicyParser {

  /** Reference Cascade default ({@code [key-manager.generation] algorithm}), also RFC 8624 §3.1 "MUST" to sign. */
  static final String DEFAULT_ALGORITHM = "ECDSAP256SHA256";
  /** Reference Cascade default ({@code [key-manager] ksk.validity}). */
  static final Duration DEFAULT_KSK_VALIDITY = Duration.ofDays(365);
  /** Reference Cascade default ({@code [key-manager] zsk.validity}). */
  static final Duration DEFAULT_ZSK_VALIDITY = Duration.ofDays(30);
  /** Reference Cascade default ({@code [key-manager] csk.validity}). */
  static final Duration DEFAULT_CSK_VALIDITY = Duration.ofDays(365);
  /** A validity that never ends, as the reference spells it ({@code [key-manager] ksk.validity = "forever"}). */
  static final String FOREVER = "forever";
  /** Reference Cascade default ({@code [key-manager.records] ttl}, the DNSKEY TTL). */
  static final Duration DEFAULT_DNSKEY_TTL = Duration.ofHours(1);
  /**
   * The reference default is {@code date-counter}, which reference issue #397 calls dangerous: past 99 changes in a
   * day it spills into the next day's serials and never comes back to the date. {@code unix-time} (max(now, prev+1))
   * stays monotonic (RFC 1982) however often the zone changes and still tells the operator when it was signed.
   */
  static final SerialPolicy DEFAULT_SERIAL_POLICY = SerialPolicy.UNIX_TIME;
  /** Reference Cascade default ({@code [signer] signature-inception-offset}): tolerates validator clock skew. */
  static final Duration DEFAULT_INCEPTION_OFFSET = Duration.ofDays(1);
  /** Reference Cascade default ({@code [signer] signature-lifetime}). */
  static final Duration DEFAULT_LIFETIME = Duration.ofDays(14);
  /** Reference Cascade default ({@code [signer] signature-remain-time}). */
  static final Duration DEFAULT_REMAIN_TIME = Duration.ofDays(7);
  /** Reference Cascade default ({@code [signer] signature-refresh-interval}). */
  static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofHours(12);
  /** Reference Cascade default ({@code [signer.denial] type}). */
  static final DenialType DEFAULT_DENIAL = DenialType.NSEC;
  /** RFC 9276 §3.1: zone publishers SHOULD use 0 extra iterations; also the reference's fixed value. */
  static final int DEFAULT_NSEC3_ITERATIONS = 0;
  /** RFC 5155 §11: SHA-1 (1) is the only NSEC3 hash algorithm in the IANA registry; the reference fixes it too. */
  static final String NSEC3_HASH_ALGORITHM = "SHA-1";
  /** RFC 9276 §3.1: operators SHOULD NOT use a salt; also the reference's fixed value. */
  static final String DEFAULT_NSEC3_SALT = "";
  /**
   * RFC 9276 §3.2 lets validators treat any iteration count above 0 as insecure, and many do above 100, so a larger
   * value would make the zone bogus or insecure for part of the Internet.
   */
  static final int MAX_NSEC3_ITERATIONS = 100;
  /** RFC 4034 §3.1.5: signature expiration is a 32-bit serial-number time, so keep lifetimes below 2^30 s. */
  static final long MAX_LIFETIME_SECONDS = 0x4000_0000L;
  /** Reference Cascade lower bound for {@code signature-refresh-interval}. */
  static final Duration MIN_REFRESH_INTERVAL = Duration.ofSeconds(60);

  private static final TomlMapper TOML = new TomlMapper();

  private PolicyParser() {}

  /**
   * Parses the text of {@code file}; the policy is named {@code name} (the file stem, as in the reference).
   *
   * @throws PolicyException naming {@code file} for a syntax error, an unknown key, a bad value or an inconsistency
   */
  public static Policy parse(String name, String file, String text) throws PolicyException {
    JsonNode root;
    try {
      root = TOML.readTree(text);
    } catch (IOException e) {
      throw new PolicyException(file + ": not valid TOML: " + firstLine(e.getMessage()), e);
    }
    try {
      return read(name, root == null ? TOML.createObjectNode() : root);
    } catch (IllegalArgumentException e) {
      throw new PolicyException(file + ": " + e.getMessage(), e);
    }
  }

  private static Policy read(String name, JsonNode root) {
    Table top = new Table("", root);
    String version = top.string("version", null);
    if (version == null) {
      throw new IllegalArgumentException("missing required key 'version' (must be \"v1\")");
    }
    if (!version.equals("v1")) {
      throw new IllegalArgumentException("unsupported policy version '" + version + "' (must be \"v1\")");
    }
    Table loader = top.table("loader");
    Table loaderReview = loader.table("review");
    GateMode unsignedReview = reviewMode(loaderReview);
    String unsignedHook = reviewHook(loaderReview, unsignedReview);
    boolean unsignedHaltOnReject = haltOnReject(loaderReview);
    loaderReview.done();
    loader.done();

    Table keyManager = top.table("key-manager");
    Table ksk = keyManager.table("ksk");
    Duration kskValidity = ksk.validity(DEFAULT_KSK_VALIDITY);
    RollMethod kskRollType = ksk.rollMethod(KeyRolls.DEFAULT.kskRollType(),
        RollMethod.KSK_DOUBLE_SIGNATURE, RollMethod.KSK_DOUBLE_DS);
    RollAutomation kskAutomation = ksk.automation();
    ksk.done();
    Table zsk = keyManager.table("zsk");
    Duration zskValidity = zsk.validity(DEFAULT_ZSK_VALIDITY);
    RollMethod zskRollType = zsk.rollMethod(KeyRolls.DEFAULT.zskRollType(),
        RollMethod.ZSK_PRE_PUBLISH, RollMethod.ZSK_DOUBLE_SIGNATURE);
    RollAutomation zskAutomation = zsk.automation();
    zsk.done();
    Table csk = keyManager.table("csk");
    Duration cskValidity = csk.validity(DEFAULT_CSK_VALIDITY);
    RollAutomation cskAutomation = csk.automation();
    csk.done();
    Table algorithmRolls = keyManager.table("algorithm");
    RollAutomation algorithmAutomation = algorithmRolls.automation();
    algorithmRolls.done();
    PropagationChecks checks = new PropagationChecks(
        keyManager.nameServers("publication-nameservers"), keyManager.nameServers("parent-nameservers"));
    Table records = keyManager.table("records");
    Duration dnskeyTtl = records.duration("ttl", DEFAULT_DNSKEY_TTL);
    CdsPublication cds = records.parsed("cds", ParentSettings.DEFAULT.cds().word(), CdsPublication::fromWord);
    records.done();
    DsDigest dsAlgorithm =
        keyManager.parsed("ds-algorithm", ParentSettings.DEFAULT.dsAlgorithm().word(), DsDigest::fromWord);
    String dsSubmitHook = keyManager.string("ds-submit-hook", null);
    boolean autoRemove = keyManager.bool("auto-remove", KeyRolls.DEFAULT.autoRemove());
    Duration autoRemoveDelay = keyManager.duration("auto-remove-delay", KeyRolls.DEFAULT.autoRemoveDelay());
    if (dsSubmitHook != null && dsSubmitHook.isBlank()) {
      throw new IllegalArgumentException(keyManager.path("ds-submit-hook") + " must be a command, or left out");
    }
    Table generation = keyManager.table("generation");
    String algorithm = algorithm(generation.string("algorithm", DEFAULT_ALGORITHM), generation.path("algorithm"));
    boolean useCsk = generation.bool("use-csk", false); // reference Cascade default: separate KSK and ZSK
    String hsmServerId = hsmServerId(generation.string("hsm-server-id", null), algorithm, generation);
    generation.done();
    keyManager.done();

    Table signer = top.table("signer");
    SerialPolicy serialPolicy = serialPolicy(signer.string("serial-policy", DEFAULT_SERIAL_POLICY.word()), signer);
    Duration inception = signer.duration("signature-inception-offset", DEFAULT_INCEPTION_OFFSET);
    Duration lifetime = signer.duration("signature-lifetime", DEFAULT_LIFETIME);
    Duration remain = signer.duration("signature-remain-time", DEFAULT_REMAIN_TIME);
    Duration refresh = signer.duration("signature-refresh-interval", DEFAULT_REFRESH_INTERVAL);
    Table denialTable = signer.table("denial");
    DenialType denial = denial(denialTable.string("type", DEFAULT_DENIAL.word()), denialTable.path("type"));
    boolean optOut = denialTable.bool("opt-out", false); // reference Cascade default (#551)
    int iterations = (int) denialTable.integer("iterations", DEFAULT_NSEC3_ITERATIONS);
    String salt = salt(denialTable.string("salt", DEFAULT_NSEC3_SALT), denialTable.path("salt"));
    String hashAlgorithm = denialTable.string("hash-algorithm", NSEC3_HASH_ALGORITHM);
    denialTable.done();
    Table signerReview = signer.table("review");
    GateMode signedReview = reviewMode(signerReview);
    String signedHook = reviewHook(signerReview, signedReview);
    // Our addition (issue 13 item 2), off by default: re-signings wait for review as the reference has them.
    boolean approveReSigning = signerReview.bool("approve-re-signing", false);
    boolean signedHaltOnReject = haltOnReject(signerReview);
    // Our addition (issue 13 item 4), off by default as the reference has no such rule. Two people, one per gate:
    // with a gate that approves by itself (off) or by a hook (script) a single person would decide alone.
    boolean fourEyes = signerReview.bool("four-eyes", false);
    if (fourEyes && (unsignedReview != GateMode.MANUAL || signedReview != GateMode.MANUAL)) {
      throw new IllegalArgumentException(signerReview.path("four-eyes")
          + " needs mode = \"manual\" in [loader.review] and [signer.review]: one person approves each gate");
    }
    signerReview.done();
    signer.done();
    top.done();

    if (!hashAlgorithm.equalsIgnoreCase(NSEC3_HASH_ALGORITHM) && !hashAlgorithm.equals("1")) {
      throw new IllegalArgumentException("signer.denial.hash-algorithm must be \"" + NSEC3_HASH_ALGORITHM
          + "\", the only NSEC3 hash algorithm defined (RFC 5155 §11), got \"" + hashAlgorithm + "\"");
    }
    if (iterations < 0 || iterations > MAX_NSEC3_ITERATIONS) {
      throw new IllegalArgumentException(
          "signer.denial.iterations must be between 0 and " + MAX_NSEC3_ITERATIONS + " (RFC 9276 §3.2), got " + iterations);
    }
    if (denial == DenialType.NSEC && (optOut || iterations != 0 || !salt.isEmpty())) {
      throw new IllegalArgumentException("signer.denial opt-out, iterations and salt apply only to type = \"nsec3\"");
    }
    if (lifetime.getSeconds() >= MAX_LIFETIME_SECONDS) {
      throw new IllegalArgumentException("signer.signature-lifetime must be below 2^30 seconds (RFC 4034 §3.1.5)");
    }
    if (refresh.compareTo(MIN_REFRESH_INTERVAL) < 0) {
      throw new IllegalArgumentException("signer.signature-refresh-interval must be at least 60s");
    }
    // Reference Cascade rule: a signature must survive its remain time, one hour of propagation and one refresh
    // interval, otherwise signatures could expire between two refreshes.
    if (lifetime.compareTo(remain.plusHours(1).plus(refresh)) <= 0) {
      throw new IllegalArgumentException(
          "signer.signature-lifetime must exceed signature-remain-time + 1h + signature-refresh-interval");
    }
    return new Policy(
        name,
        unsignedReview,
        signedReview,
        algorithm,
        useCsk,
        kskValidity,
        zskValidity,
        cskValidity,
        new KeyRolls(kskRollType, zskRollType, kskAutomation, zskAutomation, cskAutomation, algorithmAutomation,
            checks, autoRemove, autoRemoveDelay),
        dnskeyTtl,
        serialPolicy,
        inception,
        lifetime,
        remain,
        refresh,
        denial,
        optOut,
        iterations,
        salt,
        new ParentSettings(cds, dsAlgorithm, dsSubmitHook),
        new ReviewSettings(unsignedHook, signedHook, approveReSigning, unsignedHaltOnReject, signedHaltOnReject,
            fourEyes),
        hsmServerId);
  }

  /**
   * {@code hsm-server-id}: none by default, as in the reference. A PKCS#11 token holds RSA and ECDSA keys only
   * (dnssec-core {@code Pkcs11Token}; the reference's HSMs: RSASHA256 and ECDSAP256SHA256), so an EdDSA algorithm
   * with an HSM is refused here rather than when the key manager first generates a key.
   */
  private static String hsmServerId(String id, String algorithm, Table generation) {
    if (id == null) {
      return null;
    }
    if (id.isBlank()) {
      throw new IllegalArgumentException(
          generation.path("hsm-server-id") + " must name a PKCS#11 token, or be left out");
    }
    if (algorithm.startsWith("ED")) {
      throw new IllegalArgumentException(generation.path("hsm-server-id") + ": a PKCS#11 token holds RSASHA256, "
          + "RSASHA512, ECDSAP256SHA256 and ECDSAP384SHA384 keys, not " + algorithm);
    }
    return id;
  }

  private static GateMode reviewMode(Table review) {
    String mode = review.string("mode", "off"); // reference Cascade default: review off
    return switch (mode) {
      case "off" -> GateMode.OFF;
      case "manual" -> GateMode.MANUAL;
      case "script" -> GateMode.SCRIPT;
      default -> throw new IllegalArgumentException(
          review.path("mode") + " must be \"off\", \"manual\" or \"script\", got \"" + mode + "\"");
    };
  }

  /**
   * {@code on-reject}: whether a rejection at the gate hard-halts the zone ({@code "halt"}) instead of dropping the
   * version ({@code "discard"}, the reference's default, cascade-reference.md §2).
   */
  private static boolean haltOnReject(Table review) {
    String onReject = review.string("on-reject", "discard");
    return switch (onReject) {
      case "discard" -> false;
      case "halt" -> true;
      default -> throw new IllegalArgumentException(
          review.path("on-reject") + " must be \"discard\" or \"halt\", got \"" + onReject + "\"");
    };
  }

  /** {@code hook}: required with mode "script", as in the reference, and refused with the others. */
  private static String reviewHook(Table review, GateMode mode) {
    String hook = review.string("hook", null);
    if (mode == GateMode.SCRIPT && (hook == null || hook.isBlank())) {
      throw new IllegalArgumentException(review.path("hook") + " is required with mode = \"script\"");
    }
    if (mode != GateMode.SCRIPT && hook != null) {
      throw new IllegalArgumentException(review.path("hook") + " is only used with mode = \"script\"");
    }
    return hook;
  }

  /** Every algorithm dnssec-core signs with, RSA with its size: {@code <mnemonic>[:<bits>]}, as the reference. */
  private static String algorithm(String value, String path) {
    try {
      return KeyAlgorithm.parse(value).toString();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(path + " = \"" + value + "\": " + e.getMessage()
          + " (RSASHA256[:<bits>], RSASHA512[:<bits>], ECDSAP256SHA256, ECDSAP384SHA384, ED25519 or ED448)", e);
    }
  }

  private static SerialPolicy serialPolicy(String value, Table signer) {
    for (SerialPolicy p : SerialPolicy.values()) {
      if (p.word().equals(value)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        signer.path("serial-policy") + " must be keep, counter, unix-time or date-counter, got \"" + value + "\"");
  }

  private static DenialType denial(String value, String path) {
    return switch (value) {
      case "nsec" -> DenialType.NSEC;
      case "nsec3" -> DenialType.NSEC3;
      default -> throw new IllegalArgumentException(path + " must be \"nsec\" or \"nsec3\", got \"" + value + "\"");
    };
  }

  private static String salt(String value, String path) {
    String hex = value.equals("-") ? "" : value.toLowerCase(Locale.ROOT);
    // RFC 5155 §3.2: the salt is 0–255 octets, written in hex ("-" for none, RFC 5155 §3.3).
    if (!hex.matches("([0-9a-f]{2}){0,255}")) {
      throw new IllegalArgumentException(path + " must be an even number of hex digits (at most 255 octets) or \"-\"");
    }
    return hex;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "syntax error";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** One TOML table; remembers which keys were read so that {@link #done()} can refuse the rest. */
  private static final class Table {
    private final String prefix;
    private final ObjectNode node;
    private final Set<String> seen = new HashSet<>();

    Table(String prefix, JsonNode node) {
      this.prefix = prefix;
      if (node == null) {
        this.node = TOML.createObjectNode();
      } else if (node instanceof ObjectNode object) {
        this.node = object;
      } else {
        throw new IllegalArgumentException("'" + prefix + "' must be a table");
      }
    }

    String path(String key) {
      return prefix.isEmpty() ? key : prefix + "." + key;
    }

    Table table(String key) {
      seen.add(key);
      return new Table(path(key), node.get(key));
    }

    /** A string the {@code parse} function reads; its error message is prefixed with the key's path. */
    <T> T parsed(String key, String dflt, java.util.function.Function<String, T> parse) {
      String value = string(key, dflt);
      try {
        return parse.apply(value);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(path(key) + ": " + e.getMessage(), e);
      }
    }

    String string(String key, String dflt) {
      seen.add(key);
      JsonNode v = node.get(key);
      if (v == null) {
        return dflt;
      }
      if (!v.isTextual()) {
        throw new IllegalArgumentException(path(key) + " must be a string");
      }
      return v.asText();
    }

    boolean bool(String key, boolean dflt) {
      seen.add(key);
      JsonNode v = node.get(key);
      if (v == null) {
        return dflt;
      }
      if (!v.isBoolean()) {
        throw new IllegalArgumentException(path(key) + " must be true or false");
      }
      return v.booleanValue();
    }

    long integer(String key, long dflt) {
      seen.add(key);
      JsonNode v = node.get(key);
      if (v == null) {
        return dflt;
      }
      if (!v.isIntegralNumber()) {
        throw new IllegalArgumentException(path(key) + " must be an integer");
      }
      return v.longValue();
    }

    Duration duration(String key, Duration dflt) {
      seen.add(key);
      JsonNode v = node.get(key);
      if (v == null) {
        return dflt;
      }
      try {
        if (v.isIntegralNumber()) {
          return Durations.ofSeconds(v.longValue());
        }
        if (v.isTextual()) {
          return Durations.parse(v.asText());
        }
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(path(key) + ": " + e.getMessage(), e);
      }
      throw new IllegalArgumentException(path(key) + " must be a duration (seconds or \"<n>s|m|h|d|w\")");
    }

    /**
     * A list of name servers, each {@code "<IP>[:PORT][^<TSIG key>]"} ({@link NameServer}), as written; empty if not
     * given. Whether the key exists is checked where a zone takes the policy ({@code zone add}).
     */
    List<String> nameServers(String key) {
      seen.add(key);
      JsonNode v = node.get(key);
      if (v == null) {
        return List.of();
      }
      if (!v.isArray()) {
        throw new IllegalArgumentException(path(key) + " must be a list of \"<IP>[:PORT][^<key>]\" strings");
      }
      List<String> servers = new ArrayList<>();
      for (JsonNode item : v) {
        if (!item.isTextual()) {
          throw new IllegalArgumentException(path(key) + " must be a list of \"<IP>[:PORT][^<key>]\" strings");
        }
        try {
          NameServer.parse(item.asText());
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(path(key) + ": " + e.getMessage(), e);
        }
        servers.add(item.asText());
      }
      return servers;
    }

    /** A key's {@code validity}: a duration longer than 0s, or {@code "forever"}, given as {@link Duration#ZERO}. */
    Duration validity(Duration dflt) {
      JsonNode v = node.get("validity");
      if (v != null && v.isTextual() && v.asText().equals(FOREVER)) {
        seen.add("validity");
        return Duration.ZERO;
      }
      Duration validity = duration("validity", dflt);
      if (validity.isZero()) {
        throw new IllegalArgumentException(
            path("validity") + " must be longer than 0s (\"" + FOREVER + "\" for no end)");
      }
      return validity;
    }

    /** {@code roll-type}: one of {@code allowed}, in the reference's spelling. */
    RollMethod rollMethod(RollMethod dflt, RollMethod... allowed) {
      String value = string("roll-type", dflt.word());
      for (RollMethod method : allowed) {
        if (method.word().equals(value)) {
          return method;
        }
      }
      throw new IllegalArgumentException(path("roll-type") + " must be "
          + String.join(" or ", Arrays.stream(allowed).map(RollMethod::word).toList())
          + ", got \"" + value + "\"");
    }

    /** {@code auto-start}, {@code auto-report}, {@code auto-expire}, {@code auto-done}. */
    RollAutomation automation() {
      RollAutomation all = RollAutomation.ALL;
      return new RollAutomation(bool("auto-start", all.start()), bool("auto-report", all.report()),
          bool("auto-expire", all.expire()), bool("auto-done", all.done()));
    }

    void done() {
      List<String> unknown = new ArrayList<>();
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (!seen.contains(k)) {
          unknown.add(path(k));
        }
      }
      if (!unknown.isEmpty()) {
        throw new IllegalArgumentException("unknown key" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown));
      }
    }
  }
}
