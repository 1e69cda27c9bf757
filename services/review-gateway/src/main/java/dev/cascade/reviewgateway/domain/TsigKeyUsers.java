package dev.cascade.reviewgateway.domain;

import dev.cascade.dnssec.tsig.TsigKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.xbill.DNS.Name;

/**
 * Who references a TSIG key: a zone's source ({@code <IP>[:<PORT>]^<key>}, reference §1.3) or a server setting
 * ({@code provide-xfr-to}, {@code send-notify-to}: {@code <IP>...^<key>} entries). A key in use cannot be removed
 * (reference: {@code tsig remove} is refused and lists the users), as the transfers would then fail.
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
   * The users of {@code key}, as the operator reads them: {@code zone <apex>} and {@code server setting <name>}.
   *
   * @param zoneSources each registered zone's source, by apex
   * @param serverSettings each server setting's entries, by setting name
   */
  public static List<String> of(Name key, Map<String, String> zoneSources, Map<String, List<String>> serverSettings) {
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
