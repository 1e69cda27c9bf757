package dev.cascade.dnssec.zone;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TTL;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Tokenizer;
import org.xbill.DNS.Type;

/**
 * Reads the records of a zone file's text (RFC 1035 §5.1): finds where each logical record ends (a record continues
 * over newlines inside parentheses) and makes a {@link Record} of it, in the {@link FileState} its file is in.
 *
 * <p>dnsjava's {@code Master} does not report the line of each record, so the text is split into logical records
 * here and each parsed with dnsjava's {@link Tokenizer} and {@link Record#fromString}: every error then names the
 * file and line of the offending record. The bulk of a TLD zone (one-line NS, A, AAAA and DS records) is read from
 * the bytes directly, at a fraction of the cost, into the same records; anything unusual there goes the general way
 * and gets its error from dnsjava. Directives go to
 * {@link Directives}. One thread at a time: each of the parser's threads has a lexer of its own.
 */
final class RecordLexer {
  /** Tokenizer errors read {@code "<none>:<line>: <reason>"} for a tokenizer over a stream. */
  private static final Pattern TOKENIZER_ERROR = Pattern.compile("^<none>:(\\d+): (.*)$", Pattern.DOTALL);

  private final Name zoneOrigin;
  /** RDATA names already made (see {@link NameCache}); one per thread. */
  private final NameCache names;
  private final Directives.Include include;
  /** The last owner made by {@link #owner}: the text it came from, the origin it was relative to, and the name. */
  private byte[] lastOwnerText;
  private int lastOwnerFrom;
  private int lastOwnerTo;
  private Name lastOwnerOrigin;
  private Name lastOwnerName;

  /**
   * @param zoneOrigin the zone apex
   * @param names the name cache this lexer alone uses while it reads
   * @param include reads the files {@code $INCLUDE} names
   */
  RecordLexer(Name zoneOrigin, NameCache names, Directives.Include include) {
    this.zoneOrigin = zoneOrigin;
    this.names = names;
    this.include = include;
  }

  /** The name cache, for the next lexer once this one is done. */
  NameCache names() {
    return names;
  }

  /**
   * RDATA names already made, by their text, for names relative to the zone's own origin: in a TLD zone thousands
   * of delegations share a hoster's name servers, and one shared {@link Name} object per distinct name saves both
   * parse time and memory. A direct-mapped cache rather than a map: a name that loses its slot is only made again,
   * and a lookup needs neither a String nor a map entry.
   */
  static final class NameCache {
    /** A power of two, several times the distinct name servers of a large TLD. */
    private static final int SLOTS = 1 << 18;
    private final byte[][] texts = new byte[SLOTS][];
    private final Name[] names = new Name[SLOTS];

    Name get(byte[] b, int from, int end) {
      int slot = slot(b, from, end);
      byte[] text = texts[slot];
      return text != null && Arrays.equals(text, 0, text.length, b, from, end) ? names[slot] : null;
    }

    void put(byte[] b, int from, int end, Name name) {
      int slot = slot(b, from, end);
      texts[slot] = Arrays.copyOfRange(b, from, end);
      names[slot] = name;
    }

    private static int slot(byte[] b, int from, int end) {
      int hash = 1;
      for (int i = from; i < end; i++) {
        hash = 31 * hash + b[i];
      }
      return (hash ^ (hash >>> 16)) & (SLOTS - 1);
    }
  }

  /** Newlines in the last logical record {@link #recordEnd} found. */
  private int scannedLines;
  /** The TTL the last record parsed had in the text, when above {@link TTL#MAX_VALUE}; -1 otherwise. */
  private long clampedTtl = -1;

  /**
   * The end of the logical record at {@code b[from]}: after a newline outside parentheses (RFC 1035 §5.1), or the
   * end of the file; newlines inside quotes, escapes and comments do not end it but do count as lines
   * ({@link #recordLines}). Returns -1 if {@code b[from, end)} does not hold all of it and more of the file follows
   * ({@code eof} false).
   */
  int recordEnd(byte[] b, int from, int end, boolean eof) {
    int i = from;
    int depth = 0;
    boolean quoted = false;
    int lines = 0;
    while (i < end) {
      byte c = b[i];
      if (c == '\\') {
        if (i + 1 < end) {
          if (b[i + 1] == '\n') {
            lines++;
          }
          i += 2;
          continue;
        }
        if (!eof) {
          return -1;
        }
      }
      if (quoted) {
        if (c == '"') {
          quoted = false;
        } else if (c == '\n') {
          lines++;
        }
        i++;
        continue;
      }
      if (c == ';') {
        while (i < end && b[i] != '\n') {
          i++;
        }
        continue;
      }
      i++;
      if (c == '"') {
        quoted = true;
      } else if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == '\n') {
        lines++;
        if (depth <= 0) {
          scannedLines = lines;
          return i;
        }
      }
    }
    scannedLines = lines;
    return eof ? i : -1;
  }

  /** The newlines in the logical record {@link #recordEnd} found last. */
  int recordLines() {
    return scannedLines;
  }

  /**
   * Forgets the text the last owner name was read from: the caller's buffer is about to move or go round, and
   * other octets at the same place must not be taken for the same owner.
   */
  void forgetOwnerText() {
    lastOwnerText = null;
  }

  /**
   * The record in the logical record {@code bytes[offset, offset + length)}, which starts at line {@code line} of
   * {@code file}; null for a blank line, a comment or a directive (applied to {@code state}; an {@code $INCLUDE}
   * reads its file before this returns).
   */
  Record parse(byte[] bytes, int offset, int length, String file, int line, FileState state)
      throws ZoneInputException {
    clampedTtl = -1;
    Record simple = simpleRecord(bytes, offset, offset + length, state);
    if (simple != null) {
      return simple;
    }
    // Tokenizer wraps any other stream in an 8 KiB BufferedInputStream; a buffer the record's size is enough.
    try (Tokenizer st = new Tokenizer(new BufferedInputStream(new ByteArrayInputStream(bytes, offset, length),
        Math.max(length, 1)))) {
      Tokenizer.Token first = st.get(true, false);
      Name owner;
      if (first.type() == Tokenizer.EOL || first.type() == Tokenizer.EOF) {
        return null;
      }
      if (first.type() == Tokenizer.WHITESPACE) {
        Tokenizer.Token next = st.get();
        if (next.type() == Tokenizer.EOL || next.type() == Tokenizer.EOF) {
          return null;
        }
        st.unget();
        if (state.lastOwner == null) {
          throw new ZoneInputException(file, line, "record without owner name and no previous owner (RFC 1035 §5.1)");
        }
        owner = state.lastOwner;
      } else if (first.type() == Tokenizer.IDENTIFIER && first.value().startsWith("$")) {
        Directives.apply(first.value(), st, file, line, state, include);
        return null;
      } else {
        st.unget();
        owner = st.getName(state.origin);
      }
      state.lastOwner = owner;
      return record(owner, st, file, line, state);
    } catch (IOException e) {
      throw located(e, file, line);
    } catch (IllegalArgumentException e) {
      // dnsjava reports some semantic errors (relative names, TTL out of range) as unchecked exceptions.
      throw new ZoneInputException(file, line, e.getMessage());
    }
  }

  /**
   * The records of {@code b[from, to)}, whole logical records of a zone file, parsed in file order as the whole file's
   * parse would parse them when this block starts in {@code state} (an owner and a TTL of its own, or a $TTL in force,
   * in its first record: nothing before it matters then). The caller makes sure it holds no $INCLUDE.
   */
  List<Record> parseBlock(byte[] b, int from, int to, String displayName, int firstLine, FileState state)
      throws ZoneInputException {
    List<Record> records = new ArrayList<>();
    int pos = from;
    int line = firstLine;
    try {
      while (pos < to) {
        int recordEnd = recordEnd(b, pos, to, true);
        int lines = scannedLines;
        Record r = parse(b, pos, recordEnd - pos, displayName, line, state);
        if (r != null) {
          records.add(r);
        }
        line += lines;
        pos = recordEnd;
      }
    } finally {
      lastOwnerText = null;  // it points into the caller's text
    }
    return records;
  }

  /**
   * The bulk of a TLD zone (NS, DS, A and AAAA records on one line, without quotes, parentheses, escapes or
   * comments) parsed without dnsjava's Tokenizer, which costs more than the rest of the signing run. Returns null
   * for anything else or anything unusual, which then goes the general way (and gets its error message there);
   * the file state is only changed when a record is returned.
   */
  private Record simpleRecord(byte[] b, int from, int end, FileState state) {
    for (int i = from; i < end; i++) {
      byte c = b[i];
      if (c == '(' || c == ')' || c == '"' || c == '\\' || c == ';' || c == '$') {
        return null;
      }
    }
    int[] tokens = new int[16];
    int n = 0;
    int i = from;
    boolean ownerOmitted = i < end && (b[i] == ' ' || b[i] == '\t');
    while (i < end) {
      while (i < end && isSpace(b[i])) {
        i++;
      }
      if (i == end) {
        break;
      }
      if (n == 8) {
        return null;
      }
      tokens[2 * n] = i;
      while (i < end && !isSpace(b[i])) {
        i++;
      }
      tokens[2 * n + 1] = i;
      n++;
    }
    if (n < 3) {
      return null;
    }
    int t = 0;
    Name owner;
    if (ownerOmitted) {
      owner = state.lastOwner;
      if (owner == null) {
        return null;
      }
    } else {
      owner = owner(b, tokens[0], tokens[1], state.origin);
      t = 1;
    }
    if (owner == null || !owner.subdomain(zoneOrigin)) {
      return null;
    }
    long ttl = -1;
    if (Character.isDigit(b[tokens[2 * t]])) {
      ttl = ttl(b, tokens[2 * t], tokens[2 * t + 1]);
      t++;
    }
    if (t < n && is(b, tokens[2 * t], tokens[2 * t + 1], "IN")) {
      t++;
      if (ttl < 0 && t < n && Character.isDigit(b[tokens[2 * t]])) {
        ttl = ttl(b, tokens[2 * t], tokens[2 * t + 1]);
        t++;
      }
    }
    if (t >= n || (ttl < 0 && ttl != -1)) {
      return null;
    }
    boolean explicitTtl = ttl >= 0;
    if (!explicitTtl) {
      if (state.defaultTtl >= 0) {
        ttl = state.defaultTtl;
      } else if (state.lastTtl >= 0) {
        ttl = state.lastTtl;
      } else {
        return null;
      }
    }
    long recordTtl = recordTtl(ttl);
    int typeStart = tokens[2 * t];
    int typeEnd = tokens[2 * t + 1];
    int rdata = t + 1;
    int rdataCount = n - rdata;
    Record r;
    try {
      if (is(b, typeStart, typeEnd, "NS") && rdataCount == 1) {
        Name target = name(b, tokens[2 * rdata], tokens[2 * rdata + 1], state.origin);
        r = target == null ? null : new NSRecord(owner, DClass.IN, recordTtl, target);
      } else if (is(b, typeStart, typeEnd, "A") && rdataCount == 1) {
        byte[] a = ipv4(b, tokens[2 * rdata], tokens[2 * rdata + 1]);
        if (a == null) {
          a = Address.toByteArray(text(b, tokens[2 * rdata], tokens[2 * rdata + 1]), Address.IPv4);
        }
        r = a == null ? null : new ARecord(owner, DClass.IN, recordTtl, a);
      } else if (is(b, typeStart, typeEnd, "AAAA") && rdataCount == 1) {
        byte[] a = Address.toByteArray(text(b, tokens[2 * rdata], tokens[2 * rdata + 1]), Address.IPv6);
        r = a == null ? null : new AAAARecord(owner, DClass.IN, recordTtl, a);
      } else if (is(b, typeStart, typeEnd, "DS") && rdataCount >= 4) {
        int footprint = (int) digits(b, tokens[2 * rdata], tokens[2 * rdata + 1]);
        int alg = (int) digits(b, tokens[2 * rdata + 2], tokens[2 * rdata + 3]);
        int digestType = (int) digits(b, tokens[2 * rdata + 4], tokens[2 * rdata + 5]);
        byte[] digest = hex(b, tokens, rdata + 3, n);
        // dnsjava refuses out-of-range fields (-1 for "not a number" included).
        r = digest == null ? null : new DSRecord(owner, DClass.IN, recordTtl, footprint, alg, digestType, digest);
      } else {
        r = null;
      }
    } catch (IllegalArgumentException e) {
      // Out-of-range numbers, odd hex: the general parser reports them with dnsjava's wording.
      return null;
    }
    if (r != null) {
      state.lastOwner = owner;
      if (explicitTtl) {
        state.lastTtl = ttl;
      }
    }
    return r;
  }

  /**
   * An owner name in the text. A zone file usually lists an owner's records together (a delegation's NS, DS and
   * glue lines), so the previous owner is reused when its text repeats: one {@link Name} per owner, and a run of
   * records that {@link ZoneNormaliser} sorts as one.
   */
  private Name owner(byte[] b, int from, int end, Name origin) {
    if (b == lastOwnerText && origin == lastOwnerOrigin && Arrays.equals(b, from, end, b, lastOwnerFrom, lastOwnerTo)) {
      return lastOwnerName;
    }
    Name name = parseName(b, from, end, origin);
    if (name == null) {
      return null;
    }
    lastOwnerName = name;
    lastOwnerText = b;
    lastOwnerFrom = from;
    lastOwnerTo = end;
    lastOwnerOrigin = origin;
    return lastOwnerName;
  }

  /** A name in the RDATA, shared when relative to the zone's origin; null if it is not a valid name. */
  private Name name(byte[] b, int from, int end, Name origin) {
    if (origin != zoneOrigin && !origin.equals(zoneOrigin)) {
      return parseName(b, from, end, origin);
    }
    Name name = names.get(b, from, end);
    if (name == null) {
      name = parseName(b, from, end, origin);
      if (name != null) {
        names.put(b, from, end, name);
      }
    }
    return name;
  }

  private static Name parseName(byte[] b, int from, int end, Name origin) {
    try {
      return Name.fromString(text(b, from, end), origin);
    } catch (TextParseException e) {
      return null;
    }
  }

  /** A TTL in the text (RFC 1035 seconds or BIND units), or -2 if it is not one. */
  private static long ttl(byte[] b, int from, int end) {
    long seconds = digits(b, from, end);
    if (seconds >= 0) {
      return seconds;
    }
    try {
      return TTL.parse(text(b, from, end), false);
    } catch (NumberFormatException e) {
      return -2;
    }
  }

  /**
   * A decimal number of at most 9 digits (below every limit a field of these records has), or -1 for anything else,
   * which the callers leave to dnsjava's parsers. Spares a String per field on the lines of a large zone.
   */
  private static long digits(byte[] b, int from, int end) {
    if (end <= from || end - from > 9) {
      return -1;
    }
    long value = 0;
    for (int i = from; i < end; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      value = value * 10 + d;
    }
    return value;
  }

  /** An IPv4 address in dotted-decimal form without leading zeros, or null (dnsjava then decides). */
  private static byte[] ipv4(byte[] b, int from, int end) {
    byte[] address = new byte[4];
    int i = from;
    for (int octet = 0; octet < 4; octet++) {
      int start = i;
      while (i < end && b[i] != '.') {
        i++;
      }
      long value = digits(b, start, i);
      if (value < 0 || value > 255 || (i - start > 1 && b[start] == '0') || (octet < 3 ? i == end : i != end)) {
        return null;
      }
      address[octet] = (byte) value;
      i++;
    }
    return address;
  }

  /** The octets written in hex over the tokens {@code [first, count)} (RFC 4034 §5.3), or null if they are not hex. */
  private static byte[] hex(byte[] b, int[] tokens, int first, int count) {
    int digits = 0;
    for (int k = first; k < count; k++) {
      digits += tokens[2 * k + 1] - tokens[2 * k];
    }
    if (digits % 2 != 0) {
      return null;
    }
    byte[] out = new byte[digits / 2];
    int nibble = 0;
    for (int k = first; k < count; k++) {
      for (int i = tokens[2 * k]; i < tokens[2 * k + 1]; i++) {
        int v = Character.digit(b[i], 16);
        if (v < 0) {
          return null;
        }
        out[nibble / 2] |= (byte) ((nibble % 2 == 0) ? v << 4 : v);
        nibble++;
      }
    }
    return out;
  }

  static boolean isSpace(byte c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }

  /** Case-insensitive comparison of a token with an upper-case keyword. */
  static boolean is(byte[] b, int from, int end, String keyword) {
    if (end - from != keyword.length()) {
      return false;
    }
    for (int i = 0; i < keyword.length(); i++) {
      int c = b[from + i];
      if (c >= 'a' && c <= 'z') {
        c -= 'a' - 'A';
      }
      if (c != keyword.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static String text(byte[] b, int from, int end) {
    return new String(b, from, end - from, StandardCharsets.ISO_8859_1);
  }

  /** Turns a dnsjava parse error into "file:line: reason", mapping the tokenizer's relative line. */
  private static ZoneInputException located(IOException e, String file, int firstLine) {
    String message = String.valueOf(e.getMessage());
    Matcher m = TOKENIZER_ERROR.matcher(message);
    if (m.matches()) {
      return new ZoneInputException(file, firstLine + Integer.parseInt(m.group(1)) - 1, m.group(2));
    }
    return new ZoneInputException(file, firstLine, message);
  }

  private Record record(Name owner, Tokenizer st, String file, int line, FileState state)
      throws IOException, ZoneInputException {
    long ttl = -1;
    int dclass = DClass.IN;
    String s = st.getString();
    // RFC 1035 §5.1: TTL and class are optional and may come in either order before the type.
    if (isTtl(s)) {
      ttl = TTL.parse(s, false);
      s = st.getString();
    }
    if (DClass.value(s) >= 0) {
      dclass = DClass.value(s);
      s = st.getString();
      if (ttl < 0 && isTtl(s)) {
        ttl = TTL.parse(s, false);
        s = st.getString();
      }
    }
    int type = Type.value(s);
    if (type < 0) {
      throw new ZoneInputException(file, line, "unknown type " + s);
    }
    String notZoneData = ZoneNormaliser.notZoneData(owner, dclass, zoneOrigin);
    if (notZoneData != null) {
      throw new ZoneInputException(file, line, notZoneData);
    }
    if (ttl >= 0) {
      state.lastTtl = ttl;
    } else if (state.defaultTtl >= 0) {
      ttl = state.defaultTtl;
    } else if (state.lastTtl >= 0) {
      // RFC 1035 §5.1: an omitted TTL defaults to the last explicitly stated one.
      ttl = state.lastTtl;
    } else if (type != Type.SOA) {
      throw new ZoneInputException(file, line, "no TTL given and no $TTL directive before (RFC 2308 §4)");
    }
    Record r = Record.fromString(owner, type, dclass, recordTtl(Math.max(ttl, 0)), st, state.origin);
    if (ttl < 0) {
      // An SOA without any TTL in force takes its MINIMUM field, as BIND does (RFC 2308 §4 history).
      SOARecord soa = (SOARecord) r;
      r = new SOARecord(owner, dclass, soa.getMinimum(), soa.getHost(), soa.getAdmin(), soa.getSerial(),
          soa.getRefresh(), soa.getRetry(), soa.getExpire(), soa.getMinimum());
    }
    return r;
  }

  /**
   * {@code ttl} as a record can hold it: at most 2^31 - 1 (RFC 2181 §8), the value dnsjava clamps larger TTLs to.
   * A larger one is kept for {@link #takeClampedTtl}, so that the author is told (issue: clamped in silence before).
   */
  private long recordTtl(long ttl) {
    if (ttl > TTL.MAX_VALUE) {
      clampedTtl = ttl;
      return TTL.MAX_VALUE;
    }
    return ttl;
  }

  /** The TTL in the text of the record parsed last, if it was larger than a record can hold; else -1. Resets it. */
  long takeClampedTtl() {
    long ttl = clampedTtl;
    clampedTtl = -1;
    return ttl;
  }

  private static boolean isTtl(String s) {
    if (s.isEmpty() || !Character.isDigit(s.charAt(0))) {
      return false;
    }
    try {
      TTL.parseTTL(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /**
   * Whether the record {@code b[from, end)} states a TTL: {@code <owner> <ttl> ...} or {@code <owner> <class> <ttl>
   * ...}.
   */
  static boolean hasTtl(byte[] b, int from, int end) {
    int i = from;
    int tokenStart = -1;
    for (int token = 1; token <= 2; token++) {
      while (i < end && !isSpace(b[i])) {
        i++;
      }
      if (tokenStart >= 0 && DClass.value(text(b, tokenStart, i)) < 0) {
        return false;  // the token after the owner is neither a TTL nor a class
      }
      while (i < end && isSpace(b[i])) {
        i++;
      }
      if (i == end) {
        return false;
      }
      if (b[i] >= '0' && b[i] <= '9') {
        return true;
      }
      tokenStart = i;
    }
    return false;
  }
}
