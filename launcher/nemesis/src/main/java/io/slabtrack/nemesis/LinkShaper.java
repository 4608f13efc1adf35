package io.slabtrack.nemesis;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A slow, lossy network in user space, as toxiproxy builds one (this kernel has no netem qdisc): a TCP proxy in front
 * of each node's Hazelcast and event-bus ports, which the node advertises as its own address ({@code
 * HZ_PUBLIC_ADDRESS}, {@code EVENTBUS_PUBLIC_*}), so every member-to-member and bus byte crosses it, both ways.
 *
 * <p>While a {@link Profile} is on, each chunk read is delivered its delay later, never before the chunk read ahead of
 * it (TCP hands the application its bytes in order); and a chunk is now and then held back a further
 * retransmission timeout, which is what a lost segment looks like above TCP: it and everything behind it waits.
 * Off, bytes pass straight through (behind whatever is still queued, so switching never reorders).
 */
public final class LinkShaper implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LinkShaper.class);
  /** Bytes one direction of one connection may hold before its reader is paused. */
  private static final int MAX_QUEUED_BYTES = 4 * 1024 * 1024;

  /**
   * One direction's delay: {@code delayMs ± jitterMs} (uniform) and, with probability {@code loss}, a further
   * {@code rtoMinMs..rtoMaxMs} (a retransmission after a lost segment).
   */
  public record Profile(long delayMs, long jitterMs, double loss, long rtoMinMs, long rtoMaxMs) {
    /** Issue 21's link: {@code tc netem delay 200ms 50ms loss 5%}, with TCP's retransmission wait for a loss. */
    public static final Profile SLOW = new Profile(200, 50, 0.05, 200, 1000);

    long delayMillis(Random random) {
      long d = delayMs - jitterMs + (jitterMs == 0 ? 0 : random.nextLong(2 * jitterMs + 1));
      if (loss > 0 && random.nextDouble() < loss) {
        d += rtoMinMs + random.nextLong(rtoMaxMs - rtoMinMs + 1);
      }
      return Math.max(0, d);
    }

    @Override
    public String toString() {
      return delayMs + " ms ± " + jitterMs + ", " + Math.round(loss * 100) + "% loss (+" + rtoMinMs + ".." + rtoMaxMs
          + " ms)";
    }
  }

  private final Vertx vertx;
  private final NetClient client;
  private final List<NetServer> servers = new CopyOnWriteArrayList<>();
  private volatile Profile profile;

  public LinkShaper(Vertx vertx) {
    this.vertx = vertx;
    this.client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(5000).setTcpNoDelay(true));
  }

  /** A listener on {@code bindHost} (any free port, returned) that forwards through this shaper to the target. */
  public int listen(String bindHost, String targetHost, int targetPort) {
    NetServer server = vertx.createNetServer(new io.vertx.core.net.NetServerOptions().setTcpNoDelay(true))
        .connectHandler(in -> accept(in, targetHost, targetPort));
    server.listen(0, bindHost).await();
    servers.add(server);
    return server.actualPort();
  }

  /** Shapes every link (open connections included) from now on; {@code null} turns shaping off. */
  public void shape(Profile p) {
    profile = p;
  }

  public Profile profile() {
    return profile;
  }

  private void accept(NetSocket in, String host, int port) {
    in.pause();
    client.connect(port, host).onComplete(ar -> {
      if (ar.failed()) {
        LOG.warn("shaped link: could not reach {}:{}: {}", host, port, ar.cause().toString());
        in.close();
        return;
      }
      NetSocket out = ar.result();
      Lane up = new Lane(in, out);
      Lane down = new Lane(out, in);
      in.handler(up::offer);
      out.handler(down::offer);
      in.closeHandler(v -> up.closeWhenDrained());
      out.closeHandler(v -> down.closeWhenDrained());
      in.exceptionHandler(e -> {
        LOG.warn("shaped link: client side failed: {}", e.toString());
        in.close();
      });
      out.exceptionHandler(e -> {
        LOG.warn("shaped link: node side failed: {}", e.toString());
        out.close();
      });
      in.resume();
    });
  }

  /** One direction of one connection: chunks from {@code from}, delivered in order to {@code to} when due. */
  private final class Lane {
    private final NetSocket from;
    private final NetSocket to;
    private final ArrayDeque<Object[]> queue = new ArrayDeque<>();
    private long lastDue;
    private long timer = -1;
    private int queuedBytes;
    private boolean paused;
    private boolean closing;

    Lane(NetSocket from, NetSocket to) {
      this.from = from;
      this.to = to;
    }

    void offer(Buffer chunk) {
      Profile p = profile;
      long now = System.nanoTime();
      if (p == null && queue.isEmpty()) {
        write(chunk);
        return;
      }
      long due = Math.max(lastDue, now + (p == null ? 0 : p.delayMillis(ThreadLocalRandom.current()) * 1_000_000));
      lastDue = due;
      queue.add(new Object[] {due, chunk});
      queuedBytes += chunk.length();
      if (queuedBytes > MAX_QUEUED_BYTES && !paused) {
        paused = true;
        from.pause();
      }
      schedule(now);
    }

    private void schedule(long now) {
      if (timer >= 0 || queue.isEmpty()) {
        return;
      }
      long wait = ((long) queue.peek()[0] - now + 999_999) / 1_000_000;
      timer = vertx.setTimer(Math.max(1, wait), id -> flush());
    }

    private void flush() {
      timer = -1;
      long now = System.nanoTime();
      while (!queue.isEmpty() && (long) queue.peek()[0] <= now) {
        Buffer chunk = (Buffer) queue.poll()[1];
        queuedBytes -= chunk.length();
        write(chunk);
      }
      if (paused && queuedBytes < MAX_QUEUED_BYTES / 2 && !to.writeQueueFull()) {
        paused = false;
        from.resume();
      }
      if (queue.isEmpty() && closing) {
        to.close();
      }
      schedule(now);
    }

    private void write(Buffer chunk) {
      to.write(chunk);
      if (to.writeQueueFull() && !paused) {
        paused = true;
        from.pause();
        to.drainHandler(v -> {
          if (paused && queuedBytes < MAX_QUEUED_BYTES / 2) {
            paused = false;
            from.resume();
          }
        });
      }
    }

    /** The sender closed: what it sent before still arrives, then the other side sees the close. */
    void closeWhenDrained() {
      closing = true;
      if (queue.isEmpty()) {
        to.close();
      }
    }
  }

  @Override
  public void close() {
    for (NetServer s : servers) {
      s.close().await();
    }
    client.close().await();
  }
}
