package io.slabtrack.cluster.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.DataInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Opt-in ({@code -Dbench=true}): 1,000 public events a second for 5 s to 200 TCP bridge subscribers, delivery
 * latency from publish to a subscriber's thread having parsed the frame; the anchor is the same events to 200
 * in-JVM event-bus consumers, in the same run.
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
class BridgeFanOutBenchmarkTest {
  static final int SUBSCRIBERS = Integer.getInteger("bench.subscribers", 200);
  static final int PER_SECOND = Integer.getInteger("bench.rate", 1000);
  static final int SECONDS = Integer.getInteger("bench.seconds", 5);
  static final String ADDRESS = "public.bench";

  @Test
  void publicEventsToTwoHundredBridgeSubscribers() throws Exception {
    try (BridgeHarness bridge = new BridgeHarness(1000)) {
      int events = PER_SECOND * SECONDS;
      long[][] bridged = new long[SUBSCRIBERS][events];
      long[][] local = new long[SUBSCRIBERS][events];
      AtomicLong bridgedCount = new AtomicLong();
      AtomicLong localCount = new AtomicLong();
      CountDownLatch done = new CountDownLatch(SUBSCRIBERS);
      List<BridgeHarness.Client> clients = new ArrayList<>();
      List<Thread> readers = new ArrayList<>();
      String token = bridge.token();
      for (int s = 0; s < SUBSCRIBERS; s++) {
        BridgeHarness.Client c = bridge.client(token);
        c.send(new JsonObject().put("type", "register").put("address", ADDRESS));
        clients.add(c);
        int slot = s;
        Thread t = new Thread(() -> read(c, bridged[slot], bridgedCount, done, events), "bench-sub-" + s);
        t.setDaemon(true);
        t.start();
        readers.add(t);
      }
      Thread.sleep(2000); // every subscriber registered

      // anchor first, alone: the same events to in-JVM consumers, the bridge's subscribers not yet fed
      List<io.vertx.core.eventbus.MessageConsumer<JsonObject>> anchors = new ArrayList<>();
      for (int s = 0; s < SUBSCRIBERS; s++) {
        long[] mine = local[s];
        anchors.add(bridge.vertx.eventBus().<JsonObject>localConsumer("anchor.bench", m -> {
          mine[m.body().getInteger("seq")] = System.nanoTime() - m.body().getLong("sentNanos");
          localCount.incrementAndGet();
        }));
      }
      publishAll(bridge, "anchor.bench", events);
      for (var a : anchors) {
        a.unregister();
      }
      double sendSeconds = publishAll(bridge, ADDRESS, events);
      boolean all = done.await(180, TimeUnit.SECONDS);
      for (BridgeHarness.Client c : clients) {
        c.close();
      }
      System.out.printf("%n| %d public events/s for %d s (%.1f s to send) | deliveries | p50 | p99 | max |%n",
          PER_SECOND, SECONDS, sendSeconds);
      System.out.println("|---|---|---|---|---|");
      print("TCP bridge, " + SUBSCRIBERS + " subscribers", bridged, bridgedCount.get());
      print("anchor: " + SUBSCRIBERS + " in-JVM consumers (run first, alone)", local, localCount.get());
      System.out.printf("load average %.1f, %d cores%n",
          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
          Runtime.getRuntime().availableProcessors());
      assertThat(all).as("every subscriber got every event").isTrue();
    }
  }

  /** {@code events} events at PER_SECOND, 10 per tick, on the bus's event loop; returns the seconds it took. */
  private static double publishAll(BridgeHarness bridge, String address, int events) throws InterruptedException {
    long tickNanos = 1_000_000_000L / (PER_SECOND / 10); // 10 events per tick
    long start = System.nanoTime();
    for (int seq = 0; seq < events; seq += 10) {
      long due = start + (seq / 10) * tickNanos;
      while (System.nanoTime() < due) {
        Thread.onSpinWait();
      }
      int first = seq;
      bridge.vertx.runOnContext(v -> {
        for (int i = first; i < first + 10; i++) {
          bridge.vertx.eventBus().publish(address, new JsonObject().put("type", "bench").put("seq", i)
              .put("sentNanos", System.nanoTime()).put("padding", "x".repeat(150)));
        }
      });
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Thread.sleep(1000);
    return seconds;
  }

  private static void read(BridgeHarness.Client c, long[] latencies, AtomicLong count, CountDownLatch done,
                           int events) {
    try {
      DataInputStream in = c.in;
      c.socket.setSoTimeout(120_000);
      int got = 0;
      while (got < events) {
        byte[] frame = new byte[in.readInt()];
        in.readFully(frame);
        long now = System.nanoTime();
        // two numbers picked out of the frame, not a JSON parse: the subscribers share this JVM with the bridge
        String text = new String(frame, java.nio.charset.StandardCharsets.UTF_8);
        long seq = number(text, "\"seq\":");
        long sent = number(text, "\"sentNanos\":");
        if (seq < 0 || sent < 0) {
          continue;
        }
        latencies[(int) seq] = now - sent;
        count.incrementAndGet();
        got++;
      }
      done.countDown();
    } catch (Exception e) {
      // a reader that fails leaves the latch short: the assertion says so
    }
  }

  private static long number(String text, String key) {
    int at = text.indexOf(key);
    if (at < 0) {
      return -1;
    }
    int i = at + key.length();
    long v = 0;
    while (i < text.length() && Character.isDigit(text.charAt(i))) {
      v = v * 10 + (text.charAt(i++) - '0');
    }
    return v;
  }

  private static void print(String what, long[][] perSubscriber, long count) {
    long[] all = Arrays.stream(perSubscriber).flatMapToLong(Arrays::stream).filter(v -> v > 0).sorted().toArray();
    if (all.length == 0) {
      System.out.printf("| %s | 0 | - | - | - |%n", what);
      return;
    }
    System.out.printf("| %s | %,d | %.1f ms | %.1f ms | %.1f ms |%n", what, count, all[all.length / 2] / 1e6,
        all[(int) (all.length * 0.99)] / 1e6, all[all.length - 1] / 1e6);
  }
}
