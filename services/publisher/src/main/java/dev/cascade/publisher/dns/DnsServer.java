package dev.cascade.publisher.dns;

import dev.cascade.publisher.domain.DnsResponder;
import dev.cascade.publisher.domain.DnsResponder.Transport;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * One DNS listener, UDP and TCP on the same address and port, on plain Java sockets: a thread reads UDP queries,
 * a thread accepts TCP connections, and a bounded pool serves the connections (RFC 7766: several queries per
 * connection, answered in order). All answers come from the {@link DnsResponder}.
 */
public final class DnsServer implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(DnsServer.class);

  /** Idle time before a TCP connection is closed: RFC 7766 §6.2.3 suggests timeouts of the order of seconds. */
  private static final int TCP_IDLE_MILLIS = 10_000;

  /** Concurrent TCP connections; no official reference: transfers to a handful of secondaries. */
  private static final int MAX_TCP_CONNECTIONS = 32;

  /** Attempts to find a port free for both UDP and TCP when the configured port is 0; no official reference. */
  private static final int RANDOM_PORT_ATTEMPTS = 20;

  private final String name;
  private final DnsResponder responder;
  private final ServerSocket tcp;
  private final DatagramSocket udp;
  private final ExecutorService connections;
  private volatile boolean running = true;

  private DnsServer(String name, DnsResponder responder, ServerSocket tcp, DatagramSocket udp) {
    this.name = name;
    this.responder = responder;
    this.tcp = tcp;
    this.udp = udp;
    this.connections =
        new ThreadPoolExecutor(
            0,
            MAX_TCP_CONNECTIONS,
            60,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            runnable -> daemon(runnable, "dns-" + name + "-tcp-conn"));
  }

  /**
   * Binds UDP and TCP on {@code address:port} and starts serving. Port 0 picks a random port that is free for both.
   *
   * @throws IOException if the port cannot be bound
   */
  public static DnsServer start(String name, InetAddress address, int port, DnsResponder responder)
      throws IOException {
    int attempts = port == 0 ? RANDOM_PORT_ATTEMPTS : 1;
    for (int attempt = 1; ; attempt++) {
      ServerSocket tcp = new ServerSocket();
      tcp.setReuseAddress(true);
      tcp.bind(new InetSocketAddress(address, port));
      DatagramSocket udp;
      try {
        udp = new DatagramSocket(new InetSocketAddress(address, tcp.getLocalPort()));
      } catch (BindException e) {
        tcp.close();
        if (attempt >= attempts) {
          throw e;
        }
        continue;
      }
      DnsServer server = new DnsServer(name, responder, tcp, udp);
      server.startThreads();
      LOG.infof("DNS server %s listening on %s port %d (UDP and TCP)", name, address.getHostAddress(), server.port());
      return server;
    }
  }

  /** The bound port, the same for UDP and TCP. */
  public int port() {
    return tcp.getLocalPort();
  }

  private void startThreads() {
    daemon(this::serveUdp, "dns-" + name + "-udp").start();
    daemon(this::acceptTcp, "dns-" + name + "-tcp").start();
  }

  private void serveUdp() {
    byte[] buffer = new byte[65535];
    while (running) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        udp.receive(packet);
        byte[] query = Arrays.copyOfRange(buffer, packet.getOffset(), packet.getOffset() + packet.getLength());
        SocketAddress from = packet.getSocketAddress();
        responder.respond(
            query, packet.getAddress(), Transport.UDP,
            (response, length) -> udp.send(new DatagramPacket(response, length, from)));
      } catch (IOException e) {
        if (running) {
          LOG.warnf("DNS server %s: UDP error: %s", name, e.getMessage());
        }
      } catch (RuntimeException e) {
        LOG.errorf(e, "DNS server %s: failed to answer a UDP query from %s", name, packet.getAddress());
      }
    }
  }

  private void acceptTcp() {
    while (running) {
      Socket socket;
      try {
        socket = tcp.accept();
      } catch (IOException e) {
        if (running) {
          LOG.warnf("DNS server %s: TCP accept failed: %s", name, e.getMessage());
        }
        continue;
      }
      try {
        connections.execute(() -> serveConnection(socket));
      } catch (RejectedExecutionException e) {
        LOG.warnf("DNS server %s: too many TCP connections, closing one from %s", name, socket.getInetAddress());
        closeQuietly(socket);
      }
    }
  }

  private void serveConnection(Socket socket) {
    try (socket) {
      socket.setSoTimeout(TCP_IDLE_MILLIS);
      DataInputStream in = new DataInputStream(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      while (running) {
        int length;
        try {
          length = in.readUnsignedShort();
        } catch (EOFException | SocketTimeoutException e) {
          return;
        }
        byte[] query = new byte[length];
        in.readFully(query);
        DataOutputStream framed = new DataOutputStream(new BufferedOutputStream(out, 65537));
        responder.respond(
            query, socket.getInetAddress(), Transport.TCP,
            (response, size) -> {
              framed.writeShort(size);
              framed.write(response, 0, size);
            });
        framed.flush();
      }
    } catch (SocketException | EOFException e) {
      LOG.debugf("DNS server %s: connection from %s closed: %s", name, socket.getInetAddress(), e.getMessage());
    } catch (IOException | RuntimeException e) {
      LOG.warnf(e, "DNS server %s: TCP connection from %s failed", name, socket.getInetAddress());
    }
  }

  @Override
  public void close() {
    running = false;
    closeQuietly(tcp);
    udp.close();
    connections.shutdownNow();
  }

  private static Thread daemon(Runnable runnable, String threadName) {
    Thread thread = new Thread(runnable, threadName);
    thread.setDaemon(true);
    return thread;
  }

  private static void closeQuietly(Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException e) {
      LOG.debugf("closing a socket failed: %s", e.getMessage());
    }
  }
}
