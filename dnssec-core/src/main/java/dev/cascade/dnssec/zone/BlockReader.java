package dev.cascade.dnssec.zone;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * A zone file read a block at a time: a TLD zone file is far larger than its records' share of the heap, so it is
 * never held whole. {@code buffer[start, end)} is read and not yet consumed; a logical record longer than the buffer
 * grows it.
 */
final class BlockReader implements AutoCloseable {
  private final InputStream in;
  byte[] buffer;
  int start;
  int end;
  boolean eof;
  /** Bytes of the file read into the buffer so far. */
  long read;

  BlockReader(InputStream in, int size) {
    this.in = in;
    this.buffer = new byte[size];
  }

  /**
   * Keeps the unconsumed bytes, moved to the front of the buffer (grown if they fill it), and reads more after
   * them; returns how far they moved.
   */
  int readMore() throws IOException {
    int moved = start;
    System.arraycopy(buffer, start, buffer, 0, end - start);
    end -= start;
    start = 0;
    if (end == buffer.length) {
      buffer = Arrays.copyOf(buffer, buffer.length * 2);
    }
    int n = in.read(buffer, end, buffer.length - end);
    if (n < 0) {
      eof = true;
    } else {
      end += n;
      read += n;
    }
    return moved;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
