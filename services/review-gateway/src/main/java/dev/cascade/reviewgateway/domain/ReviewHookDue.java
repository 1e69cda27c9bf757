package dev.cascade.reviewgateway.domain;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A version that reached a gate whose review mode is {@link GateMode#SCRIPT}: its hook is to run, once, and decide.
 *
 * @param serial the unsigned serial at the unsigned gate, the signed serial at the signed gate
 * @param contentDigest the digest of the content under review, which the decision binds
 */
public record ReviewHookDue(
    String zone, GateStage stage, String versionId, long serial, String contentDigest, String hook) {

  /** {@code ZoneVersionReviewed.reviewer} of a hook's decision. */
  public static final String REVIEWER = "hook";

  /**
   * The hook's environment, exactly the reference's five variables (cascade-reference.md §2): the zone without its
   * trailing dot, the serial under review, and the review server that serves the version, which the hook is to
   * transfer the zone from.
   *
   * @param server the review server, as {@code <ip>:<port>} (IPv6 in brackets)
   */
  public Map<String, String> environment(String server) {
    int colon = server.lastIndexOf(':');
    String ip = server.substring(0, colon);
    if (ip.startsWith("[") && ip.endsWith("]")) {
      ip = ip.substring(1, ip.length() - 1);
    }
    Map<String, String> env = new LinkedHashMap<>();
    env.put("CASCADE_ZONE", zone.endsWith(".") && zone.length() > 1 ? zone.substring(0, zone.length() - 1) : zone);
    env.put("CASCADE_SERIAL", Long.toString(serial));
    env.put("CASCADE_SERVER", server);
    env.put("CASCADE_SERVER_IP", ip);
    env.put("CASCADE_SERVER_PORT", server.substring(colon + 1));
    return env;
  }
}
