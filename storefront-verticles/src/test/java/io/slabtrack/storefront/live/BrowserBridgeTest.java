package io.slabtrack.storefront.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.storefront.StorefrontFixture;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The browser's bridge (/eventbus): public events out, nothing in, nothing else out. */
class BrowserBridgeTest {
  private static StorefrontFixture storefront;

  @BeforeAll
  static void start() throws Exception {
    storefront = StorefrontFixture.start();
  }

  @AfterAll
  static void stop() throws Exception {
    storefront.close();
  }

  @Test
  void aBrowserHearsPublicCardEvents() throws Exception {
    try (Socket ws = Socket.open()) {
      ws.send(new JsonObject().put("type", "register").put("address", "public.cards.storefront"));
      JsonObject event = new JsonObject().put("type", "card.sold").put("cardIds", List.of(7));
      JsonObject frame = null;
      for (int i = 0; i < 50 && frame == null; i++) { // registering is asynchronous and unacknowledged
        storefront.node.vertx().eventBus().publish("public.cards.storefront", event);
        frame = ws.next(200);
      }
      assertThat(frame).isNotNull();
      assertThat(frame.getString("type")).isEqualTo("rec");
      assertThat(frame.getString("address")).isEqualTo("public.cards.storefront");
      assertThat(frame.getJsonObject("body")).isEqualTo(event);
    }
  }

  @Test
  void aBrowserCanNeitherListenToNorSendOnTheSalePath() throws Exception {
    List<Object> reached = new CopyOnWriteArrayList<>();
    var consumer = storefront.node.vertx().eventBus().consumer("core.sale.claim", m -> reached.add(m.body()));
    consumer.completion().await(10, TimeUnit.SECONDS);
    try (Socket ws = Socket.open()) {
      ws.send(new JsonObject().put("type", "register").put("address", "core.sale.claim"));
      assertRefused(ws.next(5000));
      ws.send(new JsonObject().put("type", "send").put("address", "core.sale.claim")
          .put("body", new JsonObject().put("claimId", "x")).put("replyAddress", "r1"));
      assertRefused(ws.next(5000));
      ws.send(new JsonObject().put("type", "publish").put("address", "public.cards.storefront")
          .put("body", new JsonObject().put("type", "card.sold")));
      assertRefused(ws.next(5000));
      storefront.node.vertx().eventBus().publish("core.sale.claim", new JsonObject().put("probe", 1));
      assertThat(ws.next(500)).isNull();
    } finally {
      consumer.unregister().await(10, TimeUnit.SECONDS);
    }
    assertThat(reached).containsExactly(new JsonObject().put("probe", 1)); // only our own publish got there
  }

  /** An error frame and nothing else: the permissions' "access_denied" or our event hook's "rejected". */
  private static void assertRefused(JsonObject frame) {
    assertThat(frame).isNotNull();
    assertThat(frame.fieldNames()).containsExactlyInAnyOrder("type", "body");
    assertThat(frame.getString("type")).isEqualTo("err");
    assertThat(frame.getString("body")).isIn("access_denied", "rejected");
  }

  /** A raw WebSocket to the bridge, the way live.js talks to it. */
  private static final class Socket implements WebSocket.Listener, AutoCloseable {
    private final BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket ws;

    static Socket open() throws Exception {
      Socket s = new Socket();
      URI uri = URI.create(storefront.node.url(AppName.STOREFRONT, "/eventbus/websocket").replace("http:", "ws:"));
      s.ws = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
          .buildAsync(uri, s).get(10, TimeUnit.SECONDS);
      return s;
    }

    void send(JsonObject frame) throws Exception {
      ws.sendText(frame.encode(), true).get(10, TimeUnit.SECONDS);
    }

    JsonObject next(long millis) throws InterruptedException {
      return frames.poll(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        frames.add(new JsonObject(partial.toString()));
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    // the bridge writes each frame as one binary message of UTF-8 JSON
    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, java.nio.ByteBuffer data, boolean last) {
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      return onText(webSocket, new String(bytes, java.nio.charset.StandardCharsets.UTF_8), last);
    }

    @Override
    public void close() {
      ws.abort();
    }
  }
}
