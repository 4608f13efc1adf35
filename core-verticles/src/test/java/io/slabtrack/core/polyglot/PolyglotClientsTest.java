package io.slabtrack.core.polyglot;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.auth.JwtKeys;
import io.slabtrack.cluster.auth.TokenService;
import io.slabtrack.cluster.bridge.BridgeSettings;
import io.slabtrack.cluster.bridge.BridgeTokens;
import io.slabtrack.cluster.bridge.TcpBridge;
import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.testing.TestNode;
import io.slabtrack.cluster.testing.TestTokens;
import io.slabtrack.core.CoreFixture;
import io.slabtrack.core.Receiver;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The clients of README's "Talk to the bus from any language" (cluster-config/bridge-clients: slabtrack-bus.js,
 * slabtrack_bus.py)
 * against core with the TCP bridge: read a card, be refused {@code core.sale.claim}, and hear the card's sale on
 * {@code public.cards.storefront} when ToT wins a claim for it (core switches the shop's listing off, sold
 * elsewhere, and its outbox publishes the public event).
 */
class PolyglotClientsTest {
  private static final Path CLIENTS = Path.of("..", "cluster-config", "bridge-clients").toAbsolutePath().normalize();
  private static final Path CHECKS = Path.of("src", "test", "resources", "polyglot").toAbsolutePath();
  private static CoreFixture core;
  private static Receiver tot;
  private static Receiver shop;
  private static TcpBridge bridge;
  private static int port;
  private static String token;

  @BeforeAll
  static void start() throws Exception {
    core = CoreFixture.start();
    tot = Receiver.on(core.node.vertx(), Addresses.TOT_CARDS_PUBLISH);
    shop = Receiver.on(core.node.vertx(), Addresses.STOREFRONT_CARDS_PUBLISH);
    TokenService tokens = new TokenService(core.node.vertx(), JwtKeys.of(TestNode.SECRET, Optional.empty()));
    bridge = new TcpBridge(core.node.vertx(), tokens, new BridgeSettings(OptionalInt.of(0), "127.0.0.1", 100, 65536));
    port = bridge.listen("127.0.0.1", 0).await(10, TimeUnit.SECONDS);
    token = BridgeTokens.mint(tokens, "polyglot-test", List.of("cards:read"), Duration.ofMinutes(5));
  }

  @AfterAll
  static void stop() throws Exception {
    bridge.close().await(10, TimeUnit.SECONDS);
    tot.close();
    shop.close();
    core.close();
  }

  @Test
  void nodeClient() throws Exception {
    check(List.of("node", CHECKS.resolve("check.js").toString()));
  }

  @Test
  void pythonClient() throws Exception {
    check(List.of("python3", CHECKS.resolve("check.py").toString()));
  }

  private void check(List<String> command) throws Exception {
    long id = core.createCard(CoreFixture.card("Polyglot", 2500)).getLong("id");
    assertThat(core.post("/api/channels/commit", new JsonArray()
        .add(new JsonObject().put("cardId", id).put("channel", "thisorthat"))
        .add(new JsonObject().put("cardId", id).put("channel", "storefront").put("shop", "demo"))).status())
        .isEqualTo(200);

    List<String> args = new java.util.ArrayList<>(command);
    args.addAll(List.of(CLIENTS.toString(), "127.0.0.1", String.valueOf(port), token, String.valueOf(id)));
    Process p = new ProcessBuilder(args).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      assertThat(out.readLine()).isEqualTo("ready");
      JsonObject won = core.node.vertx().eventBus().<JsonObject>request(Addresses.CORE_SALE_CLAIM, claim(id),
          TestTokens.busFrom(TestNode.SECRET, AppName.TOT, AppName.CORE)).await(30, TimeUnit.SECONDS).body();
      assertThat(won.getString("outcome")).isEqualTo("won");
      String line = out.readLine();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isZero();
      JsonObject result = new JsonObject(line);
      assertThat(result.getJsonObject("card").getLong("cardId")).isEqualTo(id);
      assertThat(result.getJsonObject("card").getJsonObject("card").getString("player")).isEqualTo("Polyglot");
      assertThat(result.getJsonObject("card").getJsonObject("card").containsKey("ownerId")).isFalse();
      assertThat(result.getJsonObject("refused").getString("type")).isEqualTo("err");
      assertThat(result.getJsonObject("refused").getString("message")).isEqualTo("forbidden");
      JsonObject sold = result.getJsonObject("sold");
      assertThat(sold.getString("type")).isEqualTo("card.sold");
      assertThat(sold.getString("channel")).isEqualTo("storefront");
      assertThat(sold.getInteger("schemaVersion")).isEqualTo(1);
    } finally {
      p.destroyForcibly();
    }
  }

  private static JsonObject claim(long cardId) {
    String claimId = UUID.randomUUID().toString();
    return new JsonObject().put("eventId", UUID.randomUUID().toString()).put("occurredAt", Instant.now().toString())
        .put("claimId", claimId).put("channel", "thisorthat").put("orderRef", "order-" + claimId)
        .put("lockRef", "lock-" + claimId).put("cardIds", new JsonArray().add(cardId)).put("amountCents", 2500)
        .put("authExpiresAt", Instant.now().plus(Duration.ofDays(6)).toString());
  }
}
