package io.slabtrack.tot.fairness;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The play page's verifier ({@code web/tot/verify.js}, the very file the page loads) run in Node's WebCrypto agrees
 * with the server's {@link Fairness} on the golden vectors of {@link FairnessTest} and on random plays, and fails
 * the right check when a play is tampered with.
 */
class BrowserVerifierTest {
  private static final BigDecimal QUARTER = new BigDecimal("0.25");

  /** A revealed play's JSON as {@code GET /api/play/{id}} serves it, computed by the server's code. */
  static JsonObject flipPlay(String seedHex, String clientSeed, long cardValue, BigDecimal spread) {
    byte[] seed = HexFormat.of().parseHex(seedHex);
    byte[] out = Fairness.outcomeBytes(seed, clientSeed);
    Fairness.FlipOutcome side = Fairness.flip(out);
    long win = Fairness.winPrice(cardValue, spread);
    long lose = Fairness.losePrice(cardValue, spread);
    return new JsonObject().put("playId", "play_x").put("game", "FLIP").put("seedHash", Fairness.seedHash(seed))
        .put("serverSeed", seedHex).put("clientSeed", clientSeed).put("outcomeBytes", HexFormat.of().formatHex(out))
        .put("outcome", side.name()).put("options", new JsonArray().add(new JsonObject().put("listingId", 1)
            .put("cardValue", cardValue)))
        .put("cardValue", cardValue).put("spread", spread.toPlainString()).put("winPrice", win).put("losePrice", lose)
        .put("outcomeAmount", side == Fairness.FlipOutcome.WIN ? win : lose);
  }

  static JsonObject pullPlay(String seedHex, String clientSeed, List<Long> values) {
    byte[] seed = HexFormat.of().parseHex(seedHex);
    byte[] out = Fairness.outcomeBytes(seed, clientSeed);
    JsonArray options = new JsonArray();
    for (int i = 0; i < values.size(); i++) {
      options.add(new JsonObject().put("listingId", 10 + i * 7).put("cardValue", values.get(i)));
    }
    long price = Fairness.pullPrice(values);
    return new JsonObject().put("playId", "play_y").put("game", "PULL").put("seedHash", Fairness.seedHash(seed))
        .put("serverSeed", seedHex).put("clientSeed", clientSeed).put("outcomeBytes", HexFormat.of().formatHex(out))
        .put("winnerListingId", 10 + Fairness.pullWinner(out, values.size()) * 7).put("options", options)
        .put("cardValue", values.stream().mapToLong(Long::longValue).sum()).put("pullPrice", price)
        .put("outcomeAmount", price);
  }

  /** Each play through verify.js in Node: per play its checks ({@code id → ok}) and the bytes it computed. */
  static JsonArray runInNode(List<JsonObject> plays) throws Exception {
    Path verifier = Path.of(BrowserVerifierTest.class.getClassLoader().getResource("web/tot/verify.js").toURI());
    Path dir = Files.createTempDirectory("verify-js-");
    Path input = Files.writeString(dir.resolve("plays.json"), new JsonArray(new ArrayList<>(plays)).encode());
    Path harness = Files.writeString(dir.resolve("harness.js"), """
        const v = require(process.argv[2]);
        const plays = JSON.parse(require('fs').readFileSync(process.argv[3], 'utf8'));
        (async () => {
          const out = [];
          for (const p of plays) {
            const checks = {};
            for (const c of await v.verify(p)) { checks[c.id] = c.ok; }
            const bytes = await v.outcomeBytes(p.serverSeed, p.clientSeed).then(v.hex, () => null);
            out.push({ checks, bytes, seedHash: await v.seedHash(p.serverSeed) });
          }
          process.stdout.write(JSON.stringify(out));
        })().catch(e => { console.error(e); process.exit(1); });
        """);
    Process node = new ProcessBuilder("node", harness.toString(), verifier.toString(), input.toString())
        .redirectErrorStream(false).start();
    String stdout = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String stderr = new String(node.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(node.exitValue()).as(stderr).isZero();
    return new JsonArray(stdout);
  }

  private static void allPass(JsonObject result) {
    assertThat(result.getJsonObject("checks").getMap()).as(result.encode())
        .containsOnlyKeys("seedHash", "outcomeBytes", "outcome", "prices").allSatisfy((k, v) -> assertThat(v).isEqualTo(true));
  }

  @Test
  void theGoldenVectorsComeOutTheSameInTheBrowsersCrypto() throws Exception {
    List<JsonObject> plays = List.of(
        flipPlay(FairnessTest.SEED_A, "buyer-seed-1", 10_000, QUARTER),
        flipPlay(FairnessTest.SEED_A, "play_3f9a", 1_500, QUARTER),
        pullPlay(FairnessTest.SEED_A, "buyer-seed-1", List.of(4_000L, 5_000L, 6_000L, 3_000L, 2_000L)),
        pullPlay(FairnessTest.SEED_B, "hello world", List.of(1_003L, 1_000L)),
        flipPlay(FairnessTest.SEED_B, "hello world", 1_010, new BigDecimal("0.15")));
    JsonArray out = runInNode(plays);
    assertThat(out.getJsonObject(0).getString("seedHash"))
        .isEqualTo("6c86c6aac5fb24bcf5d9939cb7d7d5645ce39418f449e03b262dd4fa14b4b92b");
    assertThat(out.getJsonObject(0).getString("bytes"))
        .isEqualTo("de0b61a9cef4ceb1d618626b04e4b8382aa7f12ce74509536cda257449274e75");
    assertThat(plays.get(0).getString("outcome")).isEqualTo("LOSE");
    assertThat(out.getJsonObject(1).getString("bytes"))
        .isEqualTo("d49efbaec69c0e8833825be5745ced0d4f912d7d8cd12b4fe38d81ab1a5f4630");
    assertThat(plays.get(1).getString("outcome")).isEqualTo("WIN");
    assertThat(plays.get(2).getLong("winnerListingId")).isEqualTo(10 + 2 * 7); // 0xde = 222, 222 mod 5 = 2
    assertThat(plays.get(2).getLong("pullPrice")).isEqualTo(3_500);
    assertThat(out.getJsonObject(3).getString("seedHash"))
        .isEqualTo("271a413bd339c5709fdceaec41f14f11e9fbfb5042d72d331c65f32b284cd09a");
    assertThat(out.getJsonObject(3).getString("bytes"))
        .isEqualTo("6ddd803828c780001e054ba7931ea227a8e28dc0a517d14bf553f82e47d87413");
    assertThat(plays.get(4).getLong("winPrice")).isEqualTo(859); // 858.5 rounds half-up
    out.forEach(o -> allPass((JsonObject) o));
  }

  @Test
  void randomPlaysAgreeWithTheServer() throws Exception {
    Random r = new Random(11);
    List<JsonObject> plays = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      byte[] seed = new byte[32];
      r.nextBytes(seed);
      String client = Long.toHexString(r.nextLong()) + (i % 3 == 0 ? " é✓" : "");
      if (i % 2 == 0) {
        plays.add(flipPlay(HexFormat.of().formatHex(seed), client, r.nextInt(5_000_000),
            BigDecimal.valueOf(r.nextInt(5_000), 4)));
      } else {
        List<Long> values = new ArrayList<>();
        for (int k = 0, n = 2 + r.nextInt(4); k < n; k++) {
          values.add((long) r.nextInt(1_000_000));
        }
        plays.add(pullPlay(HexFormat.of().formatHex(seed), client, values));
      }
    }
    JsonArray out = runInNode(plays);
    for (int i = 0; i < plays.size(); i++) {
      assertThat(out.getJsonObject(i).getString("bytes")).isEqualTo(plays.get(i).getString("outcomeBytes"));
      allPass(out.getJsonObject(i));
    }
  }

  @Test
  void aTamperedPlayFailsTheCheckItBreaks() throws Exception {
    JsonObject fair = flipPlay(FairnessTest.SEED_A, "buyer-seed-1", 10_000, QUARTER);
    String otherSeed = "ff" + FairnessTest.SEED_A.substring(2);
    JsonArray out = runInNode(List.of(
        fair.copy().put("serverSeed", otherSeed),
        fair.copy().put("outcome", "WIN").put("outcomeAmount", fair.getLong("winPrice")),
        fair.copy().put("losePrice", 12_600).put("outcomeAmount", 12_600),
        pullPlay(FairnessTest.SEED_A, "buyer-seed-1", List.of(4_000L, 5_000L, 6_000L)).put("winnerListingId", 24), // 222 mod 3 = 0: listing 10 won
        fair.copy().put("serverSeed", "not hex")));
    assertThat(out.getJsonObject(0).getJsonObject("checks").getBoolean("seedHash")).isFalse();
    assertThat(out.getJsonObject(1).getJsonObject("checks").getBoolean("outcome")).isFalse();
    assertThat(out.getJsonObject(1).getJsonObject("checks").getBoolean("seedHash")).isTrue();
    assertThat(out.getJsonObject(2).getJsonObject("checks").getBoolean("prices")).isFalse();
    assertThat(out.getJsonObject(2).getJsonObject("checks").getBoolean("outcome")).isTrue();
    assertThat(out.getJsonObject(3).getJsonObject("checks").getBoolean("outcome")).isFalse();
    assertThat(out.getJsonObject(4).getJsonObject("checks").getMap()).allSatisfy((k, v) -> assertThat(v).isEqualTo(false));
  }
}
