package dev.cascade.dnssec.zone;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Writes records as an RFC 1035 §5 master file, one record per line: owner, TTL, class IN, type and dnsjava's
 * presentation of the RDATA ({@link Record#rdataToString()}), separated by tabs. Lines are built as ASCII bytes
 * (dnsjava escapes every octet outside printable ASCII, RFC 1035 §5.1). Names and the RDATA of the types that make up
 * most of a signed TLD-like zone (NS, DS, A, AAAA, NSEC3, RRSIG) are formatted here, to the character as dnsjava
 * formats them, because dnsjava builds a string per label and per field (and formats RRSIG times through a
 * {@link DateTimeFormatter} for every record). The owner's text is reused while consecutive records share it, and an
 * NS target's while its name object recurs. Everything else uses dnsjava's presentation form.
 */
public final class ZoneFileWriter {
  /** RFC 4034 §3.2: signature times as YYYYMMDDHHmmSS in UTC. */
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuuMMddHHmmss", Locale.ROOT)
      .withZone(ZoneOffset.UTC);
  private static final byte[] HEX = ascii("0123456789ABCDEF");
  private static final byte[] LOWER_HEX = ascii("0123456789abcdef");
  /** RFC 4648 §7, the alphabet of RFC 5155 §3.3's next hashed owner name. */
  private static final byte[] BASE32HEX = ascii("0123456789ABCDEFGHIJKLMNOPQRSTUV");
  private static final byte[] IN = ascii("\tIN\t");
  private static final byte[] MAPPED_PREFIX = ascii("::ffff:");
  private static final byte AS_IS = 0;
  private static final byte BACKSLASH = 1;
  private static final byte DECIMAL = 2;
  /**
   * How dnsjava's {@link Name#toString()} escapes each octet of a label (RFC 1035 §5.1): octets outside printable
   * ASCII (space included) as \DDD, the characters special in a master file or a name with a backslash.
   */
  private static final byte[] LABEL_ESCAPES = new byte[256];

  static {
    for (int b = 0; b < LABEL_ESCAPES.length; b++) {
      LABEL_ESCAPES[b] = b <= 0x20 || b >= 0x7F ? DECIMAL : "\"().;\\@$".indexOf(b) >= 0 ? BACKSLASH : AS_IS;
    }
  }

  /** Slots of the NS target cache: a power of two, enough for the name servers of the hosters of a large TLD. */
  private static final int TARGET_SLOTS = 1 << 12;

  /** Where each line goes; null for {@link #format}, which keeps a batch's lines in {@link #text}. */
  private final Writer out;
  private byte[] text;
  private int length;
  private Name lastOwner;
  /**
   * Where the last owner's text was last written in {@link #text}, and its length: a line (or a batch) that starts
   * over at the beginning copies it forward before it writes anything else.
   */
  private int ownerStart;
  private int ownerLength;
  private Name lastSigner;
  private byte[] lastSignerText;
  /** Type mnemonics as dnsjava gives them, by value: the types of a zone are few, and all but rare ones below 256. */
  private final byte[][] typeTexts = new byte[256][];
  private final Instant[] times = new Instant[2];
  private final byte[][] timeTexts = new byte[2][];
  private final Name[] targets = new Name[TARGET_SLOTS];
  private final byte[][] targetTexts = new byte[TARGET_SLOTS][];

  /** A writer of records to {@code out}, which it neither flushes nor closes. */
  public ZoneFileWriter(Writer out) {
    this(out, 256);
  }

  /** A writer for {@link #format}. */
  ZoneFileWriter() {
    this(null, 1 << 16);
  }

  private ZoneFileWriter(Writer out, int capacity) {
    this.out = out;
    this.text = new byte[capacity];
  }

  /** Writes every record, in the order given, to {@code out} (not closed, not flushed). */
  public static void write(Iterable<Record> records, Writer out) throws IOException {
    ZoneFileWriter w = new ZoneFileWriter(out);
    for (Record r : records) {
      w.write(r);
    }
  }

  /**
   * The lines {@link #write(Iterable, Writer)} writes for {@code records}, as ASCII bytes. The buffer and the caches
   * serve call after call: a formatting thread keeps one writer for all its batches.
   */
  byte[] format(List<Record> records) {
    length = 0;
    for (Record r : records) {
      append(r);
    }
    return Arrays.copyOf(text, length);
  }

  /** Writes one record as one line. */
  public void write(Record r) throws IOException {
    length = 0;
    append(r);
    out.write(new String(text, 0, length, StandardCharsets.US_ASCII));
  }

  private void append(Record r) {
    Name owner = r.getName();
    if (owner == lastOwner) {
      ensure(ownerLength);
      System.arraycopy(text, ownerStart, text, length, ownerLength);
      ownerStart = length;
      length += ownerLength;
    } else {
      ownerStart = length;
      appendName(owner);
      ownerLength = length - ownerStart;
      lastOwner = owner;
    }
    append('\t');
    appendDecimal(r.getTTL());
    append(IN);
    appendType(r.getType());
    append('\t');
    if (r instanceof RRSIGRecord sig) {
      appendRrsig(sig);
    } else if (r instanceof NSRecord ns) {
      appendTarget(ns.getTarget());
    } else if (r instanceof DSRecord ds) {
      appendDs(ds);
    } else if (r instanceof NSEC3Record nsec3) {
      appendNsec3(nsec3);
    } else if (r instanceof ARecord) {
      appendDottedQuad(r.rdataToWireCanonical(), 0);
    } else if (r instanceof AAAARecord) {
      appendAaaa(r.rdataToWireCanonical());
    } else {
      append(r.rdataToString().getBytes(StandardCharsets.US_ASCII));
    }
    append('\n');
  }

  /** RFC 4034 §3.2, with the signature in base64 on one line as dnsjava prints it. */
  private void appendRrsig(RRSIGRecord sig) {
    appendType(sig.getTypeCovered());
    append(' ');
    appendDecimal(sig.getAlgorithm());
    append(' ');
    appendDecimal(sig.getLabels());
    append(' ');
    appendDecimal(sig.getOrigTTL());
    append(' ');
    append(time(sig.getExpire()));
    append(' ');
    append(time(sig.getTimeSigned()));
    append(' ');
    appendDecimal(sig.getFootprint());
    append(' ');
    Name signer = sig.getSigner();
    if (signer == lastSigner) {
      append(lastSignerText);
    } else {
      int start = length;
      appendName(signer);
      lastSigner = signer;
      lastSignerText = Arrays.copyOfRange(text, start, length);
    }
    append(' ');
    append(Base64.getEncoder().encode(sig.getSignature()));
  }

  /** RFC 4034 §5.3: key tag, algorithm, digest type, the digest in hex (upper case, as dnsjava prints it). */
  private void appendDs(DSRecord ds) {
    appendDecimal(ds.getFootprint());
    append(' ');
    appendDecimal(ds.getAlgorithm());
    append(' ');
    appendDecimal(ds.getDigestID());
    byte[] digest = ds.getDigest();
    if (digest != null) {
      append(' ');
      appendHex(digest);
    }
  }

  /**
   * RFC 5155 §3.3: hash algorithm, flags, iterations, the salt in hex or "-" for none, the next hashed owner name in
   * unpadded base32hex (upper case, as dnsjava prints it) and the types by mnemonic.
   */
  private void appendNsec3(NSEC3Record nsec3) {
    appendDecimal(nsec3.getHashAlgorithm());
    append(' ');
    appendDecimal(nsec3.getFlags());
    append(' ');
    appendDecimal(nsec3.getIterations());
    append(' ');
    byte[] salt = nsec3.getSalt();
    if (salt == null) {
      append('-');
    } else {
      appendHex(salt);
    }
    append(' ');
    appendBase32Hex(nsec3.getNext());
    for (int type : nsec3.getTypes()) {
      append(' ');
      appendType(type);
    }
  }

  /**
   * An IPv6 address as dnsjava prints it, which is Java's {@link java.net.InetAddress} text: eight groups of
   * lower-case hex without leading zeros and without "::" compression, or for an IPv4-mapped address (RFC 4291
   * §2.5.5.2, which Java turns into an IPv4 address) "::ffff:" and the dotted quad.
   */
  private void appendAaaa(byte[] a) {
    if (isIpv4Mapped(a)) {
      append(MAPPED_PREFIX);
      appendDottedQuad(a, 12);
      return;
    }
    for (int i = 0; i < 16; i += 2) {
      if (i > 0) {
        append(':');
      }
      appendHexGroup((a[i] & 0xFF) << 8 | a[i + 1] & 0xFF);
    }
  }

  private static boolean isIpv4Mapped(byte[] a) {
    for (int i = 0; i < 10; i++) {
      if (a[i] != 0) {
        return false;
      }
    }
    return a[10] == (byte) 0xFF && a[11] == (byte) 0xFF;
  }

  /** A 16-bit group in hex, without leading zeros. */
  private void appendHexGroup(int group) {
    int shift = 12;
    while (shift > 0 && group >>> shift == 0) {
      shift -= 4;
    }
    ensure(4);
    for (; shift >= 0; shift -= 4) {
      text[length++] = LOWER_HEX[group >>> shift & 0xF];
    }
  }

  private void appendDottedQuad(byte[] a, int from) {
    for (int i = from; i < from + 4; i++) {
      if (i > from) {
        append('.');
      }
      appendDecimal(a[i] & 0xFF);
    }
  }

  /**
   * An NS target (dnsjava's presentation of NS RDATA is the name), its text remembered by identity: the parser shares
   * one name object per name server, and a TLD's delegations name the same hosters' servers again and again.
   */
  private void appendTarget(Name target) {
    int slot = System.identityHashCode(target) & (TARGET_SLOTS - 1);
    if (targets[slot] == target) {
      append(targetTexts[slot]);
    } else {
      int start = length;
      appendName(target);
      targets[slot] = target;
      targetTexts[slot] = Arrays.copyOfRange(text, start, length);
    }
  }

  private void appendType(int type) {
    if (type >= typeTexts.length) {
      append(ascii(Type.string(type)));
      return;
    }
    if (typeTexts[type] == null) {
      typeTexts[type] = ascii(Type.string(type));
    }
    append(typeTexts[type]);
  }

  /** A signature time, remembering the last two (a signing run uses one inception and one expiration). */
  private byte[] time(Instant t) {
    for (int i = 0; i < times.length; i++) {
      if (t.equals(times[i])) {
        return timeTexts[i];
      }
    }
    times[1] = times[0];
    timeTexts[1] = timeTexts[0];
    times[0] = t;
    timeTexts[0] = ascii(TIME.format(t));
    return timeTexts[0];
  }

  /**
   * A name's text as dnsjava's {@link Name#toString()} gives it: its labels with RFC 1035 §5.1 escapes, separated by
   * dots, and a final dot for an absolute name (the root alone is "."). Records hold absolute names only, so
   * dnsjava's "@" for a name without labels does not arise.
   */
  private void appendName(Name name) {
    boolean absolute = name.isAbsolute();
    int labels = absolute ? name.labels() - 1 : name.labels();
    for (int i = 0; i < labels; i++) {
      if (i > 0) {
        append('.');
      }
      appendLabel(name.getLabel(i));
    }
    if (absolute) {
      append('.');
    }
  }

  /** A label (its length octet first), each octet escaped as {@link #LABEL_ESCAPES} says. */
  private void appendLabel(byte[] label) {
    ensure(4 * label[0]);
    for (int i = 1; i <= label[0]; i++) {
      int b = label[i] & 0xFF;
      byte escape = LABEL_ESCAPES[b];
      if (escape == AS_IS) {
        text[length++] = (byte) b;
      } else if (escape == BACKSLASH) {
        text[length++] = '\\';
        text[length++] = (byte) b;
      } else {
        text[length++] = '\\';
        text[length++] = (byte) ('0' + b / 100);
        text[length++] = (byte) ('0' + b / 10 % 10);
        text[length++] = (byte) ('0' + b % 10);
      }
    }
  }

  private void appendHex(byte[] b) {
    ensure(2 * b.length);
    for (byte x : b) {
      text[length++] = HEX[(x & 0xFF) >>> 4];
      text[length++] = HEX[x & 0xF];
    }
  }

  /** Unpadded: every 5 bits a character, the last one filled up with zero bits. */
  private void appendBase32Hex(byte[] b) {
    ensure((8 * b.length + 4) / 5);
    int bits = 0;
    int pending = 0;
    for (byte x : b) {
      bits = bits << 8 | x & 0xFF;
      pending += 8;
      while (pending >= 5) {
        pending -= 5;
        text[length++] = BASE32HEX[bits >>> pending & 0x1F];
      }
    }
    if (pending > 0) {
      text[length++] = BASE32HEX[bits << (5 - pending) & 0x1F];
    }
  }

  /** A value that dnsjava has checked to be an unsigned number of at most 32 bits. */
  private void appendDecimal(long v) {
    int digits = 1;
    for (long limit = 10; limit <= v; limit *= 10) {
      digits++;
    }
    ensure(digits);
    length += digits;
    for (int i = length - 1; i >= length - digits; i--) {
      long rest = v / 10;
      text[i] = (byte) ('0' + (v - 10 * rest));
      v = rest;
    }
  }

  private void append(byte[] b) {
    ensure(b.length);
    System.arraycopy(b, 0, text, length, b.length);
    length += b.length;
  }

  private void append(char c) {
    ensure(1);
    text[length++] = (byte) c;
  }

  private void ensure(int more) {
    if (length + more > text.length) {
      text = Arrays.copyOf(text, Math.max(2 * text.length, length + more));
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
