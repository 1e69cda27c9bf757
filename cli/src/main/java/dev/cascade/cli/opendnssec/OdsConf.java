package dev.cascade.cli.opendnssec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the migration needs from OpenDNSSEC's {@code conf.xml} (schema {@code conf.rnc}): where kasp.xml and
 * zonelist.xml are, the repositories (PKCS#11 module, token label, PIN) the keys live in, and the enforcer's socket.
 *
 * @param policyFile {@code <Common><PolicyFile>}
 * @param zoneListFile {@code <Common><ZoneListFile>}
 * @param repositories by repository name
 * @param enforcerSocket {@code <Enforcer><SocketFile>}, null for ods-enforcer's default
 * @param warnings settings that do not map
 */
public record OdsConf(String policyFile, String zoneListFile, Map<String, Repository> repositories,
    String enforcerSocket, List<String> warnings) {

  /** A {@code <Repository>}; the PIN is never printed. */
  public record Repository(String name, String module, String tokenLabel, String pin) {
    @Override
    public String toString() {
      return "Repository[" + name + ", " + module + ", token " + tokenLabel + "]";
    }
  }

  /** Reads the file. */
  public static OdsConf read(Xml conf) {
    if (!conf.root().name().equals("Configuration")) {
      throw new IllegalArgumentException(conf.file() + ": not an OpenDNSSEC conf.xml (root element <"
          + conf.root().name() + ">)");
    }
    Map<String, Repository> repositories = new LinkedHashMap<>();
    Xml.Element list = conf.root().child("RepositoryList");
    if (list != null) {
      for (Xml.Element r : list.children("Repository")) {
        repositories.put(r.attribute("name"), new Repository(r.attribute("name"), r.required("Module").text(),
            r.required("TokenLabel").text(), r.text("PIN")));
      }
    }
    Xml.Element common = conf.root().required("Common");
    List<String> warnings = new ArrayList<>();
    Xml.Element enforcer = conf.root().child("Enforcer");
    String socket = null;
    if (enforcer != null) {
      socket = enforcer.text("SocketFile");
      for (String hook : List.of("DelegationSignerSubmitCommand", "DelegationSignerRetractCommand")) {
        String command = enforcer.text(hook);
        if (command != null) {
          warnings.add("conf.xml <" + hook + "> " + command + ": not mapped; it reads DNSKEYs on stdin, Cascade's "
              + "ds-submit-hook is called differently (docs/operations.md); set ds-submit-hook by hand");
        }
      }
    }
    return new OdsConf(common.required("PolicyFile").text(), common.required("ZoneListFile").text(),
        Map.copyOf(repositories), socket, List.copyOf(warnings));
  }

  /** Token labels by repository name, what {@link KaspMapping} names tokens by. */
  public Map<String, String> tokenLabels() {
    Map<String, String> labels = new LinkedHashMap<>();
    repositories.forEach((name, r) -> labels.put(name, r.tokenLabel()));
    return labels;
  }
}
