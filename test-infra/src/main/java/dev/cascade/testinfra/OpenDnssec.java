package dev.cascade.testinfra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenDNSSEC 2.1 (Debian {@code opendnssec}: ods-enforcerd, ods-signerd, with the SQLite enforcer store) in a
 * temporary directory, signing one zone with keys it makes in a SoftHSM2 token ({@link SoftHsmResource}'s, so the
 * service under test sees them), for the tests of taking an OpenDNSSEC installation over.
 *
 * <p>conf.xml points every path into the directory, except ods-signerd's pid file and control socket, which
 * OpenDNSSEC 2.1 fixes at /run/opendnssec (conf.rnc has no setting for them). The enforcer's SQLite schema is
 * OpenDNSSEC's own ({@code /usr/share/opendnssec/schema.sqlite}) with the version row ods-enforcer-db-setup adds,
 * since that tool reads /etc/opendnssec/conf.xml only. The policy is OpenDNSSEC's shipped default with
 * ECDSAP256SHA256 keys (quick to make in SoftHSM) and NSEC. The daemons are this object's child processes and are
 * killed by their own handles in {@link #close}: the enforcer ignores SIGTERM while its workers wait.
 */
public final class OpenDnssec implements AutoCloseable {
  /** The policy's name in kasp.xml. */
  public static final String POLICY = "default";

  private final Path dir;
  private final String zone;
  private final Path conf;
  private final Path socket;
  private final List<Process> daemons = new ArrayList<>();

  /**
   * Writes conf.xml, kasp.xml, zonelist.xml, the unsigned zone and the enforcer's database.
   *
   * @param zone the zone's name, without the final dot, as zonelist.xml has it
   */
  public OpenDnssec(Path dir, String zone) throws IOException, InterruptedException {
    this.dir = dir;
    this.zone = zone;
    this.conf = dir.resolve("conf.xml");
    this.socket = dir.resolve("enforcer.sock");
    Files.createDirectories(dir.resolve("enforcer"));
    Files.createDirectories(dir.resolve("signer"));
    Files.createDirectories(dir.resolve("signed"));
    Files.createDirectories(Path.of("/run/opendnssec"));
    Files.writeString(conf, """
        <?xml version="1.0" encoding="UTF-8"?>
        <Configuration>
          <RepositoryList>
            <Repository name="SoftHSM">
              <Module>%1$s</Module><TokenLabel>%2$s</TokenLabel><PIN>%3$s</PIN>
            </Repository>
          </RepositoryList>
          <Common><Logging><Verbosity>3</Verbosity></Logging>
            <PolicyFile>%4$s/kasp.xml</PolicyFile><ZoneListFile>%4$s/zonelist.xml</ZoneListFile></Common>
          <Enforcer>
            <Datastore><SQLite>%4$s/kasp.db</SQLite></Datastore>
            <AutomaticKeyGenerationPeriod>P1D</AutomaticKeyGenerationPeriod>
            <PidFile>%4$s/enforcerd.pid</PidFile><SocketFile>%5$s</SocketFile>
            <WorkingDirectory>%4$s/enforcer</WorkingDirectory>
          </Enforcer>
          <Signer><WorkingDirectory>%4$s/signer</WorkingDirectory><WorkerThreads>1</WorkerThreads>
            <SignerThreads>1</SignerThreads></Signer>
        </Configuration>
        """.formatted(SoftHsmResource.LIBRARY, SoftHsmResource.LABEL, SoftHsmResource.PIN, dir, socket));
    Files.writeString(dir.resolve("kasp.xml"), """
        <?xml version="1.0" encoding="UTF-8"?>
        <KASP><Policy name="default"><Description>OpenDNSSEC's default, ECDSAP256SHA256 and NSEC</Description>
          <Signatures><Resign>PT2H</Resign><Refresh>P3D</Refresh>
            <Validity><Default>P14D</Default><Denial>P14D</Denial></Validity>
            <Jitter>PT12H</Jitter><InceptionOffset>PT3600S</InceptionOffset><MaxZoneTTL>P1D</MaxZoneTTL></Signatures>
          <Denial><NSEC/></Denial>
          <Keys><TTL>PT3600S</TTL><RetireSafety>PT3600S</RetireSafety><PublishSafety>PT3600S</PublishSafety>
            <Purge>P14D</Purge>
            <KSK><Algorithm length="256">13</Algorithm><Lifetime>P1Y</Lifetime>
              <Repository>SoftHSM</Repository></KSK>
            <ZSK><Algorithm length="256">13</Algorithm><Lifetime>P90D</Lifetime>
              <Repository>SoftHSM</Repository></ZSK></Keys>
          <Zone><PropagationDelay>PT43200S</PropagationDelay>
            <SOA><TTL>PT3600S</TTL><Minimum>PT3600S</Minimum><Serial>unixtime</Serial></SOA></Zone>
          <Parent><PropagationDelay>PT9999S</PropagationDelay><DS><TTL>PT3600S</TTL></DS>
            <SOA><TTL>PT172800S</TTL><Minimum>PT10800S</Minimum></SOA></Parent>
        </Policy></KASP>
        """);
    Files.writeString(dir.resolve("zonelist.xml"), """
        <?xml version="1.0" encoding="UTF-8"?>
        <ZoneList><Zone name="%1$s"><Policy>default</Policy>
          <SignerConfiguration>%2$s/signconf.xml</SignerConfiguration>
          <Adapters><Input><Adapter type="File">%2$s/unsigned</Adapter></Input>
            <Output><Adapter type="File">%2$s/signed/zone</Adapter></Output></Adapters>
        </Zone></ZoneList>
        """.formatted(zone, dir));
    Files.writeString(unsigned(), """
        $TTL 300
        %1$s. 300 IN SOA ns1.%1$s. hostmaster.%1$s. 1 3600 900 604800 300
        %1$s. 300 IN NS ns1.%1$s.
        ns1.%1$s. 300 IN A 192.0.2.1
        www.%1$s. 300 IN A 192.0.2.2
        """.formatted(zone));
    String schema = Files.readString(Path.of("/usr/share/opendnssec/schema.sqlite"))
        + "\nINSERT INTO databaseVersion (version) VALUES (1);\n";
    Process p = new ProcessBuilder("sqlite3", dir.resolve("kasp.db").toString()).redirectErrorStream(true).start();
    p.getOutputStream().write(schema.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("sqlite3 failed (Debian package sqlite3):\n" + output);
    }
  }

  public Path conf() {
    return conf;
  }

  public Path unsigned() {
    return dir.resolve("unsigned");
  }

  /**
   * Starts the enforcer, imports the policy and the zone, and waits until the zone's KSK and ZSK are published.
   *
   * @return the rows of {@code ods-enforcer key list --verbose --all}, split at white space
   */
  public List<String[]> startEnforcer() throws IOException, InterruptedException {
    daemons.add(start("ods-enforcerd"));
    for (int i = 0; i < 100 && !Files.exists(socket); i++) {
      Thread.sleep(100);
    }
    if (!Files.exists(socket)) {
      throw new IllegalStateException("ods-enforcerd made no socket:\n" + log("ods-enforcerd"));
    }
    enforcer("policy", "import");
    enforcer("zonelist", "import");
    for (int i = 0; i < 120; i++) {
      List<String[]> rows = enforcer("key", "list", "--verbose", "--all").lines()
          .map(l -> l.trim().split("\\s+")).filter(f -> f.length >= 8 && f[0].equals(zone)).toList();
      if (rows.size() == 2 && Files.exists(dir.resolve("signconf.xml"))) {
        return rows;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("the enforcer made no keys:\n" + log("ods-enforcerd"));
  }

  /** Starts the signer and waits for the signed zone it writes. */
  public Path startSigner() throws IOException, InterruptedException {
    daemons.add(start("ods-signerd"));
    Path signed = dir.resolve("signed/zone");
    for (int i = 0; i < 120 && !Files.exists(signed); i++) {
      Thread.sleep(500);
    }
    if (!Files.exists(signed)) {
      throw new IllegalStateException("ods-signerd wrote no signed zone:\n" + log("ods-signerd"));
    }
    // The signer writes the file whole; give it the moment it takes to close it.
    Thread.sleep(500);
    return signed;
  }

  /** Runs {@code ods-enforcer} against this enforcer; its output. */
  public String enforcer(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("ods-enforcer", "-s", socket.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + output);
    }
    return output;
  }

  /** Kills the daemons this object started, by their own process handles. */
  @Override
  public void close() throws InterruptedException {
    for (Process p : daemons) {
      p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    daemons.clear();
  }

  private Process start(String daemon) throws IOException {
    return new ProcessBuilder(daemon, "-c", conf.toString(), "-d")
        .redirectErrorStream(true).redirectOutput(dir.resolve(daemon + ".log").toFile()).start();
  }

  private String log(String daemon) throws IOException {
    Path log = dir.resolve(daemon + ".log");
    return Files.exists(log) ? Files.readString(log) : "";
  }
}
