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

  /**
   * Told of each query answered, with the rcode of its (first) response, or that it failed with no answer: the
   * publisher's metrics ({@link DnsQueryMetrics}). Per query, never per record.
   */
  public interface QueryObserver {
    /** No observer. */
    QueryObserver NONE = new QueryObserver() {
      @Override
      public void answered(String server, byte[] query, int rcode) {}

      @Override
      public void failed(String server, byte[] query) {}
    };

    /** {@code query} was answered; {@code rcode} is that of the first response message, -1 when none was sent. */
    void answered(String server, byte[] query, int rcode);

    /** Answering {@code query} failed: nothing, or not all of a transfer, was sent. */
    void failed(String server, byte[] query);
  }

  private final String name;
  private final DnsResponder responder;
  private final QueryObserver observer;
  private final ServerSocket tcp;
  private final DatagramSocket udp;
  private final ExecutorService connections;
  private volatile boolean running = true;

  private DnsServer(String name, DnsResponder responder, QueryObserver observer, ServerSocket tcp,
      DatagramSocket udp) {
    this.name = name;
    this.responder = responder;
    this.observer = observer;
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
    return start(name, address, port, responder, QueryObserver.NONE);
  }

  /**
   * As {@link #start(String, InetAddress, int, DnsResponder)}, telling {@code observer} of every query.
   *
   * @throws IOException if the port cannot be bound
   */
  public static DnsServer start(String name, InetAddress address, int port, DnsResponder responder,
      QueryObserver observer) throws IOException {
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
      DnsServer server = new DnsServer(name, responder, observer, tcp, udp);
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
      byte[] query = null;
      try {
        udp.receive(packet);
        query = Arrays.copyOfRange(buffer, packet.getOffset(), packet.getOffset() + packet.getLength());
        SocketAddress from = packet.getSocketAddress();
        FirstRcode rcode = new FirstRcode();
        responder.respond(
            query, packet.getAddress(), Transport.UDP,
            (response, length) -> {
              rcode.of(response, length);
              udp.send(new DatagramPacket(response, length, from));
            });
        observer.answered(name, query, rcode.value);
      } catch (IOException e) {
        if (running) {
          LOG.warnf("DNS server %s: UDP error: %s", name, e.getMessage());
        }
        failed(query);
      } catch (RuntimeException e) {
        LOG.errorf(e, "DNS server %s: failed to answer a UDP query from %s", name, packet.getAddress());
        failed(query);
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
        FirstRcode rcode = new FirstRcode();
        try {
          responder.respond(
              query, socket.getInetAddress(), Transport.TCP,
              (response, size) -> {
                rcode.of(response, size);
                framed.writeShort(size);
                framed.write(response, 0, size);
              });
          framed.flush();
        } catch (IOException | RuntimeException e) {
          failed(query);
          throw e;
        }
        observer.answered(name, query, rcode.value);
      }
    } catch (SocketException | EOFException e) {
      LOG.debugf("DNS server %s: connection from %s closed: %s", name, socket.getInetAddress(), e.getMessage());
    } catch (IOException | RuntimeException e) {
      LOG.warnf(e, "DNS server %s: TCP connection from %s failed", name, socket.getInetAddress());
    }
  }

  private void failed(byte[] query) {
    if (query != null) {
      observer.failed(name, query);
    }
  }

  /** The rcode of the first response message sent (the low four bits of octet 3 of its header, RFC 1035 §4.1.1). */
  private static final class FirstRcode {
    int value = -1;

    void of(byte[] response, int length) {
      if (value < 0 && length >= 4) {
        value = response[3] & 0x0F;
      }
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
