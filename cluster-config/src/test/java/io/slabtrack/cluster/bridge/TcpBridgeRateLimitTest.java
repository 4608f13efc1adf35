package io.slabtrack.cluster.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** A client flooding the bridge is slowed down with error frames; another client's requests go through meanwhile. */
class TcpBridgeRateLimitTest {
  @Test
  void aFloodIsLimitedPerConnection() throws Exception {
    try (BridgeHarness bridge = new BridgeHarness(20);
         BridgeHarness.Client flood = bridge.client(bridge.token("cards:read"));
         BridgeHarness.Client calm = bridge.client(bridge.token("cards:read"))) {
      int sent = 500;
      for (int i = 0; i < sent; i++) {
        flood.send(new JsonObject().put("type", "send").put("address", "core.cards.read").put("replyAddress", "f" + i)
            .put("body", new JsonObject().put("cardId", i)));
      }
      int replies = 0;
      int limited = 0;
      for (JsonObject f = flood.next(2000); f != null && replies + limited < sent; f = flood.next(2000)) {
        if ("message".equals(f.getString("type"))) {
          replies++;
        } else if ("rate_limited".equals(f.getString("message"))) {
          limited++;
        }
      }
      // a burst of twice the rate goes through, the rest is refused (a few more refill while we send)
      assertThat(replies).isBetween(40, 80);
      assertThat(replies + limited).isEqualTo(sent);

      calm.send(new JsonObject().put("type", "send").put("address", "core.cards.read").put("replyAddress", "c1")
          .put("body", new JsonObject().put("cardId", 7)));
      JsonObject reply = calm.next(5000);
      assertThat(reply.getString("type")).isEqualTo("message");
      assertThat(reply.getJsonObject("body").getLong("cardId")).isEqualTo(7);
    }
  }
}
