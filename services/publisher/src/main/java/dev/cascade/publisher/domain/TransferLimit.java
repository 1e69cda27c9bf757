package dev.cascade.publisher.domain;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * How many zone transfers one client may run at once on one server: a secondary that opens transfers without end
 * (or many secondaries behind one address) cannot take every connection the server has. A client past its limit is
 * refused, and its secondary tries again at its retry interval (RFC 1035 §3.3.13).
 */
public final class TransferLimit {

  private final int perClient;
  private final ConcurrentMap<InetAddress, Integer> running = new ConcurrentHashMap<>();

  /** @param perClient transfers one client may run at once, at least 1 */
  public TransferLimit(int perClient) {
    if (perClient < 1) {
      throw new IllegalArgumentException("max-transfers-per-client must be at least 1, not " + perClient);
    }
    this.perClient = perClient;
  }

  /** Counts a transfer to {@code client} as started, if it is within its limit; false if it is not. */
  public boolean tryStart(InetAddress client) {
    boolean[] started = {false};
    running.compute(client, (address, count) -> {
      int now = count == null ? 0 : count;
      if (now >= perClient) {
        return now;
      }
      started[0] = true;
      return now + 1;
    });
    return started[0];
  }

  /** Counts a transfer that {@link #tryStart} let start as ended. */
  public void end(InetAddress client) {
    running.computeIfPresent(client, (address, count) -> count <= 1 ? null : count - 1);
  }
}
