package dev.cascade.reviewgateway.domain;

import dev.cascade.dnssec.tsig.TsigKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.xbill.DNS.Name;

/**
 * Who references a TSIG key: a zone's source ({@code <IP>[:<PORT>]^<key>}, reference §1.3), a server setting
 * ({@code provide-xfr-to}, {@code send-notify-to}: {@code <IP>...^<key>} entries), or a policy's name servers ({@code
 * publication-nameservers}, {@code parent-nameservers}). A key in use cannot be removed (reference: {@code tsig
 * remove} is refused and lists the users), as the transfers, or a key roll's propagation checks, would then fail.
 */
public final class TsigKeyUsers {

  private TsigKeyUsers() {}

  /**
   * The key an entry names after its {@code ^}, if any.
   *
   * @throws IllegalArgumentException if the key name is not a domain name
   */
  public static Optional<Name> keyOf(String entry) {
    int caret = entry == null ? -1 : entry.indexOf('^');
    return caret < 0 ? Optional.empty() : Optional.of(TsigKey.nameOf(entry.substring(caret + 1)));
  }

  /**
   * The users of {@code key}, as the operator reads them: {@code zone <apex>}, {@code server setting <name>} and
   * {@code policy <name>}.
   *
   * @param zoneSources each registered zone's source, by apex
   * @param serverSettings each server setting's entries, by setting name
   * @param policyServers each policy's publication and parent name servers, by policy name
   */
  public static List<String> of(Name key, Map<String, String> zoneSources, Map<String, List<String>> serverSettings,
      Map<String, List<String>> policyServers) {
    List<String> users = new ArrayList<>();
    zoneSources.forEach((zone, source) -> {
      if (names(source, key)) {
        users.add("zone " + zone);
      }
    });
    serverSettings.forEach((setting, entries) -> {
      if (entries.stream().anyMatch(entry -> names(entry, key))) {
        users.add("server setting " + setting);
      }
    });
    policyServers.forEach((policy, servers) -> {
      if (servers.stream().anyMatch(server -> names(server, key))) {
        users.add("policy " + policy);
      }
    });
    return List.copyOf(users);
  }

  private static boolean names(String entry, Name key) {
    try {
      return keyOf(entry).filter(key::equals).isPresent();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
