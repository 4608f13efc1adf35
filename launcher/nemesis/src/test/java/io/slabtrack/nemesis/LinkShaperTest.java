package io.slabtrack.nemesis;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The shaper as the nodes' links see it: real TCP through it, every byte arriving intact and in order both ways,
 * shaped or not and when shaping is switched on or off mid-stream; and its delay model (seeded, so no timing).
 */
class LinkShaperTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void aChunkIsDelayedItsDelayPlusJitterAndNowAndThenARetransmissionTimeout() {
    Random random = new Random(21);
    int n = 20_000;
    int held = 0;
    for (int i = 0; i < n; i++) {
      long d = LinkShaper.Profile.SLOW.delayMillis(random);
      assertThat(d).isBetween(150L, 250L + 1000L);
      if (d > 250) {
        held++;
        assertThat(d).isGreaterThanOrEqualTo(150L + 200L);
      }
    }
    // 5 % of chunks held back for a retransmission: at least 150 + 200 ms, so none hides among the 150..250 ones
    assertThat(held / (double) n).isBetween(0.04, 0.06);
    assertThat(new LinkShaper.Profile(0, 0, 0, 0, 0).delayMillis(random)).isZero();
  }

  @Test
  void everyByteArrivesInOrderBothWaysWhetherShapedOrNotAndWhenSwitched() throws Exception {
    // an echo server behind the shaper: what comes back is what went through it twice
    NetServer echo = vertx.createNetServer().connectHandler(s -> s.handler(s::write));
    echo.listen(0, "127.0.0.1").await();
    LinkShaper shaper = new LinkShaper(vertx);
    int port = shaper.listen("127.0.0.1", "127.0.0.1", echo.actualPort());
    Random random = new Random(7);
    byte[][] chunks = new byte[3000][];
    Buffer sent = Buffer.buffer();
    for (int i = 0; i < chunks.length; i++) {
      chunks[i] = new byte[1 + random.nextInt(600)];
      random.nextBytes(chunks[i]);
      sent.appendBytes(chunks[i]);
    }
    Buffer received = Buffer.buffer();
    CompletableFuture<Void> done = new CompletableFuture<>();
    // held until the end: Vert.x closes a client (and its connections) once it is garbage collected
    NetClient clients = vertx.createNetClient();
    NetSocket client = clients.connect(port, "127.0.0.1").await();
    client.handler(b -> {
      synchronized (received) {
        received.appendBuffer(b);
        if (received.length() >= sent.length()) {
          done.complete(null);
        }
      }
    });
    for (int i = 0; i < chunks.length; i++) {
      // on, off, on again while bytes are still queued behind the delays
      if (i == 500 || i == 2000) {
        shaper.shape(LinkShaper.Profile.SLOW);
      } else if (i == 1200) {
        shaper.shape(null);
      }
      client.write(Buffer.buffer(chunks[i])).await();
      if (i % 100 == 0) {
        Thread.sleep(5); // separate reads at the shaper, so chunks really queue behind each other
      }
    }
    done.get(60, TimeUnit.SECONDS);
    synchronized (received) {
      assertThat(received.length()).isEqualTo(sent.length());
      assertThat(received.getBytes()).isEqualTo(sent.getBytes());
    }
    assertThat(shaper.profile()).isEqualTo(LinkShaper.Profile.SLOW);
    client.close().await();
    clients.close().await();
    shaper.close();
  }

  @Test
  void whatWasSentBeforeAShapedCloseStillArrivesThenTheClose() throws Exception {
    CompletableFuture<Buffer> got = new CompletableFuture<>();
    Buffer all = Buffer.buffer();
    NetServer sink = vertx.createNetServer().connectHandler(s -> {
      s.handler(all::appendBuffer);
      s.closeHandler(v -> got.complete(all));
    });
    sink.listen(0, "127.0.0.1").await();
    LinkShaper shaper = new LinkShaper(vertx);
    shaper.shape(LinkShaper.Profile.SLOW);
    int port = shaper.listen("127.0.0.1", "127.0.0.1", sink.actualPort());
    NetClient clients = vertx.createNetClient();
    NetSocket client = clients.connect(port, "127.0.0.1").await();
    client.write(Buffer.buffer("hello, ")).await();
    client.write(Buffer.buffer("slow world")).await();
    client.close().await();
    assertThat(got.get(30, TimeUnit.SECONDS).toString()).isEqualTo("hello, slow world");
    clients.close().await();
    shaper.close();
  }
}
