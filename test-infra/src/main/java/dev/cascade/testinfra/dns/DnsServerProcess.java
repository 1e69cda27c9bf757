package dev.cascade.testinfra.dns;

import dev.cascade.testinfra.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * One DNS server daemon as a child process: started in the foreground with its configuration in {@code home}, its
 * standard output and error in {@code home/<program>.out}, stopped by SIGTERM. {@link #awaitSoa} and
 * {@link #awaitListening} wait until it answers; every failure message carries its log.
 */
public final class DnsServerProcess implements AutoCloseable {

  /** How long a daemon may take to answer after its start: a second or two alone, more on 2 busy cores. */
  private static final Duration START_WAIT = Duration.ofSeconds(20);

  private final String program;
  private final Process process;
  private final InetSocketAddress address;
  private final List<Path> logs;

  private DnsServerProcess(String program, Process process, InetSocketAddress address, List<Path> logs) {
    this.program = program;
    this.process = process;
    this.address = address;
    this.logs = logs;
  }

  /**
   * Starts {@code program} with {@code arguments}; it answers DNS on {@code address}, and writes {@code logFiles}
   * (besides its output) that {@link #log} shows.
   */
  public static DnsServerProcess start(Path home, InetSocketAddress address, List<Path> logFiles, String program,
      String... arguments) throws IOException {
    Path out = home.resolve(program + ".out");
    List<String> command = new ArrayList<>(List.of(path(program)));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(out.toFile())
        .start();
    List<Path> logs = new ArrayList<>(logFiles);
    logs.add(out);
    return new DnsServerProcess(program, process, address, List.copyOf(logs));
  }

  public InetSocketAddress address() {
    return address;
  }

  public int port() {
    return address.getPort();
  }

  /** Until the server answers {@code zone}'s SOA (an answer, not a referral or an error); stops it if it never does. */
  public DnsServerProcess awaitSoa(Name zone) {
    Record question = Record.newRecord(zone, Type.SOA, DClass.IN);
    return await(zone + " SOA", question, answer -> answer.getRcode() == Rcode.NOERROR
        && !answer.getSection(Section.ANSWER).isEmpty());
  }

  /**
   * Until the server answers a query for {@code zone}'s SOA at all, whatever the rcode: a secondary before its first
   * transfer answers SERVFAIL, but it listens.
   */
  public DnsServerProcess awaitListening(Name zone) {
    return awaitAnswer(Record.newRecord(zone, Type.SOA, DClass.IN));
  }

  /** Until the server answers {@code question} at all (a resolver its {@code version.server} CH TXT, for one). */
  public DnsServerProcess awaitAnswer(Record question) {
    return await("any answer", question, answer -> true);
  }

  private DnsServerProcess await(String what, Record question, Predicate<Message> wanted) {
    try {
      SimpleResolver resolver = new SimpleResolver(address);
      resolver.setTimeout(Duration.ofMillis(500));
      long deadline = System.nanoTime() + START_WAIT.toNanos();
      while (System.nanoTime() < deadline && process.isAlive()) {
        try {
          if (wanted.test(resolver.send(Message.newQuery(question)))) {
            return this;
          }
        } catch (IOException e) {
          // Not listening yet.
        }
        Thread.sleep(50);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    String log = log();
    close();
    throw new AssertionError(program + " on " + address + " never gave " + what + " for " + question.getName()
        + (process.isAlive() ? "" : " (exited with " + process.exitValue() + ")") + ":\n" + log);
  }

  /** The server's log files and output, for failure messages. */
  public String log() {
    StringBuilder text = new StringBuilder();
    for (Path log : logs) {
      try {
        if (Files.exists(log)) {
          text.append("--- ").append(log.getFileName()).append('\n').append(Files.readString(log));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return text.toString();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGTERM and ten seconds for a clean exit (a daemon writes its zone or journal), then SIGKILL. */
  @Override
  public void close() {
    Processes.stop(process, 10);
  }

  /** A Debian daemon's or tool's path: daemons live in /usr/sbin, which is not on every user's PATH. */
  public static String path(String program) {
    for (String directory : List.of("/usr/sbin", "/usr/bin")) {
      if (Files.isExecutable(Path.of(directory, program))) {
        return Path.of(directory, program).toString();
      }
    }
    throw new AssertionError(program + " is missing: install the Debian packages of deploy/local/install-test-deps.sh");
  }
}
