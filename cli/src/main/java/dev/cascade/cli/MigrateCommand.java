package dev.cascade.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cascade.cli.opendnssec.EnforcerKeys;
import dev.cascade.cli.opendnssec.KaspMapping;
import dev.cascade.cli.opendnssec.OdsConf;
import dev.cascade.cli.opendnssec.Xml;
import dev.cascade.cli.opendnssec.ZoneListMapping;
import dev.cascade.dnssec.pkcs11.Pkcs11Token;
import dev.cascade.dnssec.pkcs11.Pkcs11Uri;
import dev.cascade.dnssec.roll.RollPosition;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code cascade migrate opendnssec}: takes an OpenDNSSEC 2.x installation over (docs/operations.md, "Migrating from
 * OpenDNSSEC"). The policies of kasp.xml become policy files, the zones of zonelist.xml are added, each with the keys
 * that sign it now, referenced in their PKCS#11 token (the private keys never leave it), so the DS at the parent stays
 * valid and no new KSK is made.
 */
@Command(name = "migrate", description = "Take over another signer's configuration.", mixinStandardHelpOptions = true)
final class MigrateCommand {

  @ParentCommand Main main;

  @Spec CommandSpec spec;

  @Command(name = "opendnssec", mixinStandardHelpOptions = true,
      description = "Map OpenDNSSEC's kasp.xml, zonelist.xml and enforcer keys to Cascade policies and zones.")
  int opendnssec(
      @Option(names = "--conf", paramLabel = "PATH", defaultValue = "/etc/opendnssec",
          description = "OpenDNSSEC's conf.xml, or the directory holding it (default: ${DEFAULT-VALUE}).") Path conf,
      @Option(names = "--kasp", paramLabel = "PATH", description = "kasp.xml (default: conf.xml's PolicyFile).")
          Path kasp,
      @Option(names = "--zonelist", paramLabel = "PATH",
          description = "zonelist.xml (default: conf.xml's ZoneListFile).") Path zonelist,
      @Option(names = "--enforcer", paramLabel = "COMMAND", defaultValue = "ods-enforcer",
          description = "The ods-enforcer client, run for the key list (default: ${DEFAULT-VALUE}).") String enforcer,
      @Option(names = "--policy-dir", paramLabel = "DIR",
          description = "review-gateway's policy directory (cascade.policy-dir) to write the policies into.")
          Path policyDir,
      @Option(names = "--dry-run", description = "Print the policies, zones and keys; change nothing.")
          boolean dryRun) {
    if (!dryRun && policyDir == null) {
      throw new CliException("--policy-dir is needed to write the policies (or give --dry-run)");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path confFile = Files.isDirectory(conf) ? conf.resolve("conf.xml") : conf;
    OdsConf odsConf = OdsConf.read(xml(confFile));
    Path kaspFile = kasp != null ? kasp : Path.of(odsConf.policyFile());
    Path zonelistFile = zonelist != null ? zonelist : Path.of(odsConf.zoneListFile());
    List<KaspMapping.MappedPolicy> policies = KaspMapping.map(xml(kaspFile), odsConf.tokenLabels());
    List<ZoneListMapping.MappedZone> zones = ZoneListMapping.map(xml(zonelistFile));
    Ods ods = new Ods(enforcer, odsConf.enforcerSocket());
    List<EnforcerKeys.Key> keys = EnforcerKeys.parse(ods.run("key", "list", "--verbose", "--all"),
        ods.run("key", "list", "--debug", "--all"));
    odsConf.warnings().forEach(w -> err.println("WARNING: " + w));

    Set<String> refused = new HashSet<>();
    for (KaspMapping.MappedPolicy p : policies) {
      p.warnings().forEach(w -> err.println("WARNING: " + w));
      if (p.refusal() != null) {
        err.println("ERROR: " + p.refusal());
        refused.add(p.name());
      } else if (dryRun) {
        out.println("# --- policy " + p.name() + " (" + p.name() + ".toml)");
        out.print(p.toml());
      } else {
        writePolicy(policyDir.resolve(p.name() + ".toml"), p, out, err);
      }
    }
    if (!dryRun) {
      JsonNode reload = main.client().post("policy/reload", null);
      for (JsonNode change : reload.path("changes")) {
        out.println("- " + change.path("name").asText() + " " + change.path("change").asText());
      }
      reload.path("warnings").forEach(w -> err.println("WARNING: " + w.asText()));
    }

    Set<String> existing = new HashSet<>();
    if (!dryRun) {
      for (JsonNode z : main.client().get("zone/").path("zones")) {
        existing.add(z.asText().replaceAll("\\.$", ""));
      }
    }
    int failed = 0;
    for (ZoneListMapping.MappedZone z : zones) {
      z.warnings().forEach(w -> err.println("WARNING: " + w));
      if (z.source() == null) {
        continue;
      }
      if (refused.contains(z.policy())) {
        err.println("ERROR: zone " + z.name() + ": its policy " + z.policy() + " is not migrated; not added");
        failed++;
        continue;
      }
      String name = z.name().replaceAll("\\.$", "");
      List<EnforcerKeys.Key> zoneKeys = keys.stream().filter(k -> k.zone().replaceAll("\\.$", "").equals(name))
          .toList();
      Rolls rolls;
      try {
        rolls = Rolls.of(zoneKeys);
      } catch (IllegalArgumentException e) {
        err.println("WARNING: zone " + name + ": a roll is in progress and " + e.getMessage() + "; the zone is not "
            + "added: let OpenDNSSEC finish the roll (ods-enforcer rollover list) and run the migration again");
        continue;
      }
      List<Map<String, Object>> imports = new ArrayList<>();
      for (EnforcerKeys.Key k : zoneKeys) {
        RollPosition position = rolls.positions().get(k);
        out.println("zone " + name + ": " + k.role() + " " + k.keyTag() + " (" + k.locator() + ", " + k.state()
            + ", DS " + (k.dsAtParent() ? "at the parent" : "not at the parent") + "): " + k.use()
            + (position == null ? "" : ", the " + position.part() + " key of the roll taken over"));
        if (k.use() == EnforcerKeys.Use.SIGNING || position != null) {
          imports.add(keyImport(ods, odsConf, k, position));
        }
      }
      if (!rolls.positions().isEmpty()) {
        out.println("zone " + name + ": roll in progress, " + rolls.described() + "; Cascade takes it over at its "
            + "phase and checks its propagation again");
      }
      if (!dryRun && !existing.contains(name)) {
        for (Map<String, Object> key : imports) {
          adopt(odsConf, key, out);
        }
      }
      if (imports.isEmpty()) {
        err.println("WARNING: zone " + name + ": no key signs it yet; not added (Cascade would make new keys)");
        continue;
      }
      if (dryRun) {
        out.println("zone " + name + ": would add with policy " + z.policy() + ", source " + z.source() + ", "
            + imports.size() + " key(s) taken over");
      } else if (existing.contains(name)) {
        out.println("zone " + name + ": exists already, left as it is");
      } else {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("source", z.source());
        body.put("policy", z.policy());
        body.put("keyImports", imports);
        try {
          main.client().post("zone/add", body);
          out.println("zone " + name + ": added with policy " + z.policy() + " and " + imports.size()
              + " key(s) of OpenDNSSEC");
        } catch (CliException e) {
          err.println("ERROR: zone " + name + ": " + e.getMessage());
          failed++;
        }
      }
    }
    return failed == 0 ? 0 : 1;
  }

  /** The rolls in progress of a zone's keys: each key's place in its role's roll, and the rolls in words. */
  private record Rolls(Map<EnforcerKeys.Key, RollPosition> positions, String described) {

    /** @throws IllegalArgumentException when a role's keys cannot be placed in its roll */
    static Rolls of(List<EnforcerKeys.Key> keys) {
      Map<EnforcerKeys.Key, RollPosition> positions = new LinkedHashMap<>();
      List<String> rolls = new ArrayList<>();
      for (String role : List.of("KSK", "ZSK", "CSK")) {
        List<EnforcerKeys.Key> ofRole = keys.stream().filter(k -> k.role().equals(role)).toList();
        String roll = EnforcerKeys.rollInProgress(ofRole);
        if (roll != null) {
          positions.putAll(EnforcerKeys.positions(ofRole));
          rolls.add(role + ": " + roll);
        }
      }
      return new Rolls(positions, String.join("; ", rolls));
    }
  }

  /**
   * The key as zone add's {@code keyImports} entry: its DNSKEY as the enforcer exports it, and the URI (RFC 7512) of
   * its private key in the token, by the CKA_ID OpenDNSSEC gave it (the locator, in hex).
   */
  private static Map<String, Object> keyImport(Ods ods, OdsConf conf, EnforcerKeys.Key k, RollPosition position) {
    OdsConf.Repository repository = conf.repositories().get(k.repository());
    if (repository == null) {
      throw new CliException("key " + k.locator() + " of " + k.zone() + " is in repository " + k.repository()
          + ", which conf.xml does not have");
    }
    String dnskey = ods.run("key", "export", "--zone", k.zone(), "--cka_id", k.locator()).lines()
        .filter(l -> l.contains("DNSKEY")).findFirst()
        .orElseThrow(() -> new CliException("ods-enforcer key export gave no DNSKEY for key " + k.locator()));
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("type", k.role().toLowerCase(Locale.ROOT));
    entry.put("publicKeyFile", "OpenDNSSEC key " + k.locator());
    entry.put("publicKey", dnskey);
    entry.put("privateKeyUri",
        new Pkcs11Uri(repository.tokenLabel(), HexFormat.of().parseHex(k.locator())).toString());
    if (position != null) {
      entry.put("rollPosition", Map.of("part", position.part(), "published", position.published(), "signsKeys",
          position.signsKeys(), "signsZone", position.signsZone(), "atParent", position.atParent()));
    }
    return entry;
  }

  /**
   * Puts a holder certificate beside the private key in the token unless one is there (dnssec-core {@code
   * Pkcs11Token.adoptionCertificate}: SunPKCS11 lists only keys with one), with {@code pkcs11-tool} (OpenSC), since
   * no JCA call stores a certificate under a given CKA_ID. The PIN goes to it in the environment, never on the
   * command line.
   */
  private static void adopt(OdsConf conf, Map<String, Object> key, PrintWriter out) {
    Pkcs11Uri uri = Pkcs11Uri.parse((String) key.get("privateKeyUri"));
    OdsConf.Repository repository = conf.repositories().values().stream()
        .filter(r -> r.tokenLabel().equals(uri.token())).findFirst().orElseThrow();
    String id = HexFormat.of().formatHex(uri.id());
    List<String> base = List.of("pkcs11-tool", "--module", repository.module(), "--token-label",
        repository.tokenLabel(), "--login", "--pin", "env:CASCADE_TOKEN_PIN");
    List<String> read = new ArrayList<>(base);
    read.addAll(List.of("--read-object", "--type", "cert", "--id", id, "--output-file", "/dev/null"));
    if (pkcs11Tool(read, repository, false)) {
      return;
    }
    DNSKEYRecord dnskey;
    try {
      dnskey = (DNSKEYRecord) Record.fromString(Name.root, Type.DNSKEY, DClass.IN, 0,
          ((String) key.get("publicKey")).replaceFirst("^.*?DNSKEY\\s+", ""), Name.root);
    } catch (IOException e) {
      throw new CliException("the DNSKEY of " + key.get("publicKeyFile") + " does not parse: " + e.getMessage(), e);
    }
    try {
      Path der = Files.createTempFile("cascade-holder-", ".der");
      try {
        Files.write(der, Pkcs11Token.adoptionCertificate(dnskey));
        List<String> write = new ArrayList<>(base);
        write.addAll(List.of("--write-object", der.toString(), "--type", "cert", "--id", id, "--label", id));
        pkcs11Tool(write, repository, true);
      } finally {
        Files.deleteIfExists(der);
      }
    } catch (IOException e) {
      throw new CliException("cannot write a holder certificate: " + e.getMessage(), e);
    }
    out.println("token " + repository.tokenLabel() + ": holder certificate added for key " + id);
  }

  /** Runs pkcs11-tool; false when it fails and {@code mustSucceed} is false. */
  private static boolean pkcs11Tool(List<String> cmd, OdsConf.Repository repository, boolean mustSucceed) {
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.environment().put("CASCADE_TOKEN_PIN", repository.pin() == null ? "" : repository.pin());
      Process p = pb.start();
      byte[] output = p.getInputStream().readAllBytes();
      boolean ok = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
      if (!ok && mustSucceed) {
        throw new CliException("pkcs11-tool failed on token " + repository.tokenLabel() + ": "
            + new String(output, StandardCharsets.UTF_8).strip());
      }
      return ok;
    } catch (IOException e) {
      throw new CliException("cannot run pkcs11-tool (Debian package opensc): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted while running pkcs11-tool", e);
    }
  }

  /** Writes the policy unless the file is there: an existing file is the operator's and is never overwritten. */
  private static void writePolicy(Path file, KaspMapping.MappedPolicy p, PrintWriter out, PrintWriter err) {
    try {
      if (Files.exists(file)) {
        String current = Files.readString(file, StandardCharsets.UTF_8);
        if (current.equals(p.toml())) {
          out.println("policy " + p.name() + ": " + file + " is there already");
        } else {
          err.println("WARNING: policy " + p.name() + ": " + file + " exists and differs; not overwritten");
        }
        return;
      }
      Files.writeString(file, p.toml(), StandardCharsets.UTF_8);
      out.println("policy " + p.name() + ": written to " + file);
    } catch (IOException e) {
      throw new CliException("cannot write policy " + file + ": " + e.getMessage(), e);
    }
  }

  private static Xml xml(Path file) {
    try {
      return Xml.parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      throw new CliException("cannot read " + file + ": no such file (--conf, --kasp, --zonelist)", e);
    } catch (IOException e) {
      throw new CliException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** The ods-enforcer client, talking to the running enforcer daemon. */
  private record Ods(String command, String socket) {
    String run(String... args) {
      List<String> cmd = new ArrayList<>(List.of(command));
      if (socket != null) {
        cmd.add("--socket");
        cmd.add(socket);
      }
      cmd.addAll(List.of(args));
      try {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
          p.destroyForcibly();
          throw new CliException(String.join(" ", cmd) + " failed: " + new String(output, StandardCharsets.UTF_8)
              .strip());
        }
        return new String(output, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new CliException("cannot run " + command + " (is OpenDNSSEC installed and its enforcer running?): "
            + e.getMessage(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CliException("interrupted while running " + command, e);
      }
    }
  }
}
