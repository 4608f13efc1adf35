package io.slabtrack.cluster.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.auth.TokenType;
import io.slabtrack.cluster.config.AppName;
import io.vertx.core.json.JsonObject;
import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every scope against every sale-path address, tokens that aren't bridge tokens, and frames that aren't frames. */
class TcpBridgePermissionsTest {
  /** The sale path and the other internals: closed to every token. */
  static final List<String> NEVER = List.of("core.sale.claim", "core.sale.release", "core.orders.event",
      "salelock.acquire", "salelock.extend", "salelock.release", "salelock.list", "tot.salelock.expired",
      "core.salelock.expired", "slabtrack.outbox.wake", "tot.cards.publish", "storefront.cards.publish",
      "tot.reconcile.listings", "storefront.reconcile.stripe", "storefront.orders.confirm", "storefront.shops.owners");
  static final List<List<String>> SCOPES = List.of(List.of(), List.of("cards:read"), List.of("cluster:ping"),
      List.of("cards:read", "cluster:ping"));
  private static BridgeHarness bridge;

  @BeforeAll
  static void start() throws Exception {
    bridge = new BridgeHarness(10_000);
  }

  @AfterAll
  static void stop() throws Exception {
    bridge.close();
  }

  @Test
  void noScopeOpensTheSalePathAndNothingReachesIt() throws Exception {
    for (List<String> scopes : SCOPES) {
      try (BridgeHarness.Client c = bridge.client(bridge.token(scopes.toArray(String[]::new)))) {
        for (String address : NEVER) {
          for (String type : List.of("send", "publish", "register")) {
            c.send(new JsonObject().put("type", type).put("address", address).put("replyAddress", "r-" + type)
                .put("body", new JsonObject().put("claimId", "c1").put("cardIds", List.of(1))));
            assertThat(c.next(5000)).as(scopes + " " + type + " " + address)
                .isEqualTo(new JsonObject().put("type", "err").put("message", "forbidden").put("address", "r-" + type));
          }
        }
        assertThat(c.next(300)).as("nothing but the error frames").isNull();
      }
    }
    assertThat(bridge.reachedSalePath).isEmpty();
  }

  @Test
  void aScopedTokenMayAskItsAddressesAndNoOthers() throws Exception {
    try (BridgeHarness.Client reader = bridge.client(bridge.token("cards:read"));
         BridgeHarness.Client plain = bridge.client(bridge.token())) {
      JsonObject ask = new JsonObject().put("type", "send").put("address", "core.cards.read").put("replyAddress", "r1")
          .put("body", new JsonObject().put("cardId", 42));
      reader.send(ask);
      ask.getJsonObject("headers").put("slabtrack-service-token", "x").put("slabtrack-correlation", "{}");
      reader.raw(ask.encode().getBytes(java.nio.charset.StandardCharsets.UTF_8)); // the same with extra headers
      assertThat(reader.next(5000).getJsonObject("body").getString("headers")).isEmpty();
      JsonObject reply = reader.next(5000);
      assertThat(reply.getString("type")).isEqualTo("message");
      assertThat(reply.getString("address")).isEqualTo("r1");
      assertThat(reply.getJsonObject("body").getLong("cardId")).isEqualTo(42);
      // no frame header reached the bus: not the token, nor one posing as an app
      assertThat(reply.getJsonObject("body").getString("headers")).isEmpty();

      reader.send(new JsonObject().put("type", "send").put("address", "core.ping").put("replyAddress", "r2"));
      assertThat(reader.next(5000).getString("message")).isEqualTo("forbidden");
      reader.send(new JsonObject().put("type", "send").put("address", "core.cards.reads").put("replyAddress", "r3"));
      assertThat(reader.next(5000).getString("message")).isEqualTo("forbidden");
      plain.send(new JsonObject().put("type", "send").put("address", "core.cards.read").put("replyAddress", "r4")
          .put("body", new JsonObject().put("cardId", 42)));
      assertThat(plain.next(5000).getString("message")).isEqualTo("forbidden");
    }
  }

  @Test
  void anyBridgeTokenHearsPublicEventsAndNothingElse() throws Exception {
    try (BridgeHarness.Client c = bridge.client(bridge.token())) {
      c.send(new JsonObject().put("type", "register").put("address", "public.cards.storefront"));
      JsonObject got = null;
      for (int i = 0; i < 50 && got == null; i++) {
        bridge.vertx.eventBus().publish("public.cards.storefront", new JsonObject().put("type", "card.sold"));
        bridge.vertx.eventBus().publish("core.sale.claim", new JsonObject().put("probe", true));
        got = c.next(100);
      }
      assertThat(got).isNotNull();
      assertThat(got.getString("type")).isEqualTo("message");
      assertThat(got.getString("address")).isEqualTo("public.cards.storefront");
    }
  }

  @Test
  void tokensThatAreNotBridgeTokensAreRefused() throws Exception {
    String appToken = bridge.tokens.mintService("tot", AppName.CORE, Duration.ofMinutes(5));
    String session = bridge.tokens.mintSession("u1", "a@b.c", java.util.Set.of(), AppName.CORE, Duration.ofMinutes(5));
    String forged = bridge.token("cards:read").substring(0, 40) + "x" + bridge.token("cards:read").substring(41);
    for (String token : java.util.Arrays.asList(null, appToken, session, forged, "not-a-jwt")) {
      try (BridgeHarness.Client c = bridge.client(token)) {
        c.send(new JsonObject().put("type", "register").put("address", "public.cards.storefront"));
        JsonObject err = c.next(5000);
        assertThat(err.getString("type")).isEqualTo("err");
        assertThat(err.getString("message")).isEqualTo("unauthorized");
        c.send(new JsonObject().put("type", "send").put("address", "core.cards.read").put("replyAddress", "r")
            .put("body", new JsonObject().put("cardId", 1)));
        assertThat(c.next(5000).getString("message")).isEqualTo("unauthorized");
      }
    }
    assertThat(TokenType.SERVICE.claim()).isEqualTo("service");
  }

  @Test
  void anOversizedFrameGetsAnErrorFrameAndTheConnectionClosesBeforeItsBodyIsRead() throws Exception {
    try (BridgeHarness.Client c = bridge.client(bridge.token())) {
      c.out.writeInt(50_000_000); // announced, never sent
      c.out.write(new byte[100]);
      c.out.flush();
      JsonObject err = c.next(5000);
      assertThat(err.getString("type")).isEqualTo("err");
      assertThat(err.getString("message")).startsWith("frame_too_large");
      assertThat(readUntilClosed(c)).isTrue();
    }
  }

  @Test
  void aFrameThatIsNotJsonGetsAnErrorFrame() throws Exception {
    try (BridgeHarness.Client c = bridge.client(bridge.token())) {
      c.raw("{not json".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      JsonObject err = c.next(5000);
      assertThat(err).isNotNull();
      assertThat(err.getString("type")).isEqualTo("err");
    }
  }

  @Test
  void anUnknownFrameTypeGetsAnErrorFrame() throws Exception {
    try (BridgeHarness.Client c = bridge.client(bridge.token())) {
      c.send(new JsonObject().put("type", "subscribe-all").put("address", "core.sale.claim"));
      JsonObject err = c.next(5000);
      assertThat(err.getString("type")).isEqualTo("err");
    }
    assertThat(bridge.reachedSalePath).isEmpty();
  }

  private static boolean readUntilClosed(BridgeHarness.Client c) throws IOException {
    c.socket.setSoTimeout(5000);
    try {
      while (c.in.read() >= 0) {
        // drain
      }
      return true;
    } catch (EOFException | java.net.SocketException e) {
      return true;
    }
  }
}
