package dev.cascade.dnssec.zone;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.xbill.DNS.Name;
import org.xbill.DNS.Tokenizer;

/**
 * The control entries of a zone file (RFC 1035 §5.1): {@code $ORIGIN}, {@code $TTL} (RFC 2308 §4) and
 * {@code $INCLUDE}. They change the {@link FileState} the following records are read in; what an {@code $INCLUDE}
 * names is read by whoever reads files ({@link Include}).
 */
final class Directives {

  /** Reads the file an {@code $INCLUDE} names. */
  interface Include {
    /**
     * @param target the file name as written
     * @param origin the origin the included file starts in: the one given, else the including file's
     * @param defaultTtl the {@code $TTL} in force, which the included file starts with
     * @param file the including file, for errors
     * @param line the line of the {@code $INCLUDE}, for errors
     */
    void read(String target, Name origin, long defaultTtl, String file, int line) throws ZoneInputException;
  }

  private Directives() {}

  /**
   * Applies the directive {@code name}, whose arguments {@code st} holds, to {@code state}.
   *
   * @throws IOException when its arguments do not parse (the tokenizer's message, with its line)
   */
  static void apply(String name, Tokenizer st, String file, int line, FileState state, Include include)
      throws IOException, ZoneInputException {
    switch (name.toUpperCase()) {
      case "$ORIGIN" -> {
        state.origin = st.getName(state.origin);
        st.getEOL();
      }
      case "$TTL" -> {
        state.defaultTtl = st.getTTLLike();
        st.getEOL();
      }
      case "$INCLUDE" -> {
        // RFC 1035 §5.1: $INCLUDE <file-name> [<domain-name>]
        String target = st.getString();
        Name origin = state.origin;
        Tokenizer.Token t = st.get();
        if (t.isString()) {
          st.unget();
          origin = st.getName(state.origin);
          st.getEOL();
        } else {
          st.unget();
          st.getEOL();
        }
        include.read(target, origin, state.defaultTtl, file, line);
      }
      default -> throw new ZoneInputException(file, line, "unsupported directive " + name);
    }
  }

  /**
   * Follows a {@code $ORIGIN} or {@code $TTL} directive for a scan that cuts a file into blocks; false if it cannot
   * (a malformed or unknown directive: the block that holds it reports the error, and no later block may start on a
   * guess).
   */
  static boolean follow(byte[] b, int from, int end, FileState scan) {
    try (Tokenizer st = new Tokenizer(new ByteArrayInputStream(b, from, end - from))) {
      String name = st.getString().toUpperCase();
      switch (name) {
        case "$ORIGIN" -> scan.origin = st.getName(scan.origin);
        case "$TTL" -> scan.defaultTtl = st.getTTLLike();
        case "$INCLUDE" -> {
          // RFC 1035 §5.1: an included file does not change the including file's origin (nor its $TTL here).
        }
        default -> {
          return false;
        }
      }
      return true;
    } catch (IOException | IllegalArgumentException e) {
      return false;
    }
  }
}
