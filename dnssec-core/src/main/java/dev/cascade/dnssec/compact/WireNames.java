package dev.cascade.dnssec.compact;

/**
 * Names in uncompressed wire format (RFC 1035 §3.1: length-prefixed labels ending with the root's zero octet),
 * compared without building {@link org.xbill.DNS.Name} objects.
 */
final class WireNames {

  /** At most 127 labels fit in 255 octets, plus the root (RFC 1035 §2.3.4). */
  private static final int MAX_LABELS = 128;

  private WireNames() {}

  /** The length of the uncompressed name starting at {@code offset}, its final zero octet included. */
  static int length(byte[] bytes, int offset) {
    int pos = offset;
    while (bytes[pos] != 0) {
      pos += (bytes[pos] & 0xff) + 1;
    }
    return pos + 1 - offset;
  }

  /** Whether the two names are the same octets, case included. */
  static boolean sameOctets(byte[] a, int aOffset, int aLength, byte[] b, int bOffset, int bLength) {
    return java.util.Arrays.equals(a, aOffset, aOffset + aLength, b, bOffset, bOffset + bLength);
  }

  /**
   * RFC 4034 §6.1 canonical order: labels compared from the root down, each as a lower-cased unsigned octet string in
   * which a shorter label sorts first; a name sorts before its descendants.
   */
  static int compare(byte[] a, int aOffset, byte[] b, int bOffset) {
    int[] aLabels = new int[MAX_LABELS];
    int[] bLabels = new int[MAX_LABELS];
    int aCount = labels(a, aOffset, aLabels);
    int bCount = labels(b, bOffset, bLabels);
    for (int i = aCount - 1, j = bCount - 1; i >= 0 && j >= 0; i--, j--) {
      int c = compareLabel(a, aLabels[i], b, bLabels[j]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(aCount, bCount);
  }

  /** Fills {@code starts} with the offset of each label's length octet (root excluded); returns their number. */
  private static int labels(byte[] bytes, int offset, int[] starts) {
    int count = 0;
    int pos = offset;
    while (bytes[pos] != 0) {
      starts[count++] = pos;
      pos += (bytes[pos] & 0xff) + 1;
    }
    return count;
  }

  private static int compareLabel(byte[] a, int aStart, byte[] b, int bStart) {
    int aLength = a[aStart] & 0xff;
    int bLength = b[bStart] & 0xff;
    int common = Math.min(aLength, bLength);
    for (int k = 1; k <= common; k++) {
      int c = Integer.compare(lower(a[aStart + k]), lower(b[bStart + k]));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(aLength, bLength);
  }

  /** RFC 4034 §6.2: only US-ASCII upper-case letters are lower-cased. */
  private static int lower(byte octet) {
    int c = octet & 0xff;
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
  }
}
