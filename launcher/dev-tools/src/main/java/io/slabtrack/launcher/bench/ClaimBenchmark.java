package io.slabtrack.launcher.bench;

import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.cluster.bus.BusTokens;
import io.slabtrack.cluster.bus.ChannelOwners;
import io.slabtrack.cluster.config.AppName;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "claims", mixinStandardHelpOptions = true,
    description = "Core's claim decisions over the bus: two channels claiming every card at once (contended) vs one "
        + "claim per card (the anchor), same run, same concurrency; checks exactly one winner per contended card.")
public final class ClaimBenchmark implements Callable<Integer> {

  @Option(names = "--cards", defaultValue = "2500",
      description = "cards per run (default ${DEFAULT-VALUE}: the contended run measures 5,000 claims, not a second)")
  int cards;

  @Option(names = "--in-flight", defaultValue = "64", description = "claims in flight (default ${DEFAULT-VALUE})")
  int inFlight;

  @Option(names = "--warmup-rounds", defaultValue = "3",
      description = "rounds of both runs on cards of their own, unmeasured, before the measured ones: the first runs "
          + "of a fresh JVM measure its JIT compiling the claim path (default ${DEFAULT-VALUE})")
  int warmupRounds;

  @Override
  public Integer call() throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    try (BenchCore core = BenchCore.start(null)) {
      Vertx vertx = core.node.services().cluster().vertx();
      // satellites stand-ins: acknowledge publishes and disengages so the relay doesn't churn on retries
      for (String address : List.of(Addresses.TOT_CARDS_PUBLISH, Addresses.STOREFRONT_CARDS_PUBLISH)) {
        vertx.eventBus().<JsonObject>consumer(address, m -> m.reply(new JsonObject())).completion().await();
      }
      // each claim signed as its channel's app would send it (core checks the sender)
      Map<AppName, BusTokens> senders = Map.of(
          AppName.TOT, new BusTokens(core.node.services().tokens(), AppName.TOT),
          AppName.STOREFRONT, new BusTokens(core.node.services().tokens(), AppName.STOREFRONT));
      for (int round = 1; round <= warmupRounds; round++) {
        Outcome one = run(vertx, anchorClaims(core, "benchclaim-warm" + round + "-single-" + suffix), senders);
        Outcome two = run(vertx, raceClaims(core, "benchclaim-warm" + round + "-race-" + suffix), senders);
        System.out.printf("warm-up round %d (not measured): one claim per card %,.0f/s, contended %,.0f/s%n", round,
            cards / one.seconds, 2 * cards / two.seconds);
      }
      List<JsonObject> anchor = anchorClaims(core, "benchclaim-single-" + suffix);
      List<JsonObject> race = raceClaims(core, "benchclaim-race-" + suffix);
      Outcome one = run(vertx, anchor, senders);
      Outcome two = run(vertx, race, senders);
      System.out.println();
      System.out.println("### core claim decisions over the bus, " + inFlight + " in flight, after " + warmupRounds
          + " warm-up rounds of both");
      System.out.println("| run | claims | seconds | claims/s | p50 (µs) | p99 (µs) | won | lost | failed |");
      System.out.println("|---|---|---|---|---|---|---|---|---|");
      print("one claim per card (anchor)", anchor.size(), one);
      print("two channels per card (contended)", race.size(), two);
      if (two.won != cards || two.lost != cards) {
        System.out.println("ERROR: contended run should have exactly " + cards + " winners, got " + two.won);
        return 1;
      }
    }
    return 0;
  }

  /** One claim per card, on new cards engaged on both channels. */
  private List<JsonObject> anchorClaims(BenchCore core, String label) throws Exception {
    List<JsonObject> claims = new ArrayList<>();
    engaged(core, label).forEach(id -> claims.add(claim(id, "thisorthat")));
    return claims;
  }

  /** Both channels claiming every card, on new cards engaged on both. */
  private List<JsonObject> raceClaims(BenchCore core, String label) throws Exception {
    List<JsonObject> claims = new ArrayList<>();
    engaged(core, label).forEach(id -> {
      claims.add(claim(id, "thisorthat"));
      claims.add(claim(id, "storefront"));
    });
    return claims;
  }

  private List<Long> engaged(BenchCore core, String label) throws Exception {
    List<Long> ids = core.importCards(cards, label);
    core.engage(ids, List.of("thisorthat", "storefront"));
    return ids;
  }

  private static JsonObject claim(long cardId, String channel) {
    String ref = UUID.randomUUID().toString().replace("-", "");
    return new JsonObject().put("eventId", UUID.randomUUID().toString()).put("claimId", "bench-" + ref)
        .put("channel", channel).put("orderRef", "bench-order-" + ref).put("lockRef", "bench-lock-" + ref)
        .put("cardIds", new JsonArray().add(cardId)).put("amountCents", 2500)
        .put("authExpiresAt", Instant.now().plusSeconds(6 * 24 * 3600).toString());
  }

  private void print(String name, int claims, Outcome o) {
    System.out.printf("| %s | %d | %.2f | %,.0f | %d | %d | %d | %d | %d |%n", name, claims, o.seconds,
        claims / o.seconds, o.latency.getValueAtPercentile(50), o.latency.getValueAtPercentile(99), o.won, o.lost,
        o.failed);
  }

  private static final class Outcome {
    final Histogram latency = new Histogram(60_000_000L, 3);
    int won;
    int lost;
    int failed;
    double seconds;
  }

  private Outcome run(Vertx vertx, List<JsonObject> claims, Map<AppName, BusTokens> senders) {
    Promise<Outcome> done = Promise.promise();
    Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> {
      Outcome o = new Outcome();
      int[] next = {0};
      int[] finished = {0};
      long started = System.nanoTime();
      Runnable[] send = new Runnable[1];
      send[0] = () -> {
        JsonObject body = claims.get(next[0]++);
        DeliveryOptions options = senders.get(ChannelOwners.appOf(body.getString("channel")).orElseThrow())
            .sign(Addresses.CORE_SALE_CLAIM, new DeliveryOptions().setSendTimeout(60_000));
        long t0 = System.nanoTime();
        Future<io.vertx.core.eventbus.Message<JsonObject>> reply = vertx.eventBus().request(Addresses.CORE_SALE_CLAIM,
            body, options);
        reply.onComplete(ar -> {
          o.latency.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
          if (ar.failed()) {
            o.failed++;
          } else if ("won".equals(ar.result().body().getString("outcome"))) {
            o.won++;
          } else {
            o.lost++;
          }
          finished[0]++;
          if (next[0] < claims.size()) {
            send[0].run();
          } else if (finished[0] == claims.size()) {
            o.seconds = (System.nanoTime() - started) / 1e9;
            done.complete(o);
          }
        });
      };
      for (int i = 0; i < Math.min(inFlight, claims.size()); i++) {
        send[0].run();
      }
    });
    return done.future().await();
  }
}
