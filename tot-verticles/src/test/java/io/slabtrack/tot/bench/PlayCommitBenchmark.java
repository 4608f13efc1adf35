package io.slabtrack.tot.bench;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.tot.PaidPlays;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Plays committed per second and commit latency (p50/p99) against a bare JSON route ({@code /health}) in the same
 * run. Off by default; run it with:
 * {@code mvn -B -o -q -pl tot-verticles -am test -Dsurefire.failIfNoSpecifiedTests=false
 * -Dtest='io.slabtrack.tot.bench.**' -Dbench=true} (figures go to the log line "BENCH").
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
class PlayCommitBenchmark {
  private static final int PLAYS = Integer.getInteger("bench.plays", 300);
  private static final int CONCURRENCY = Integer.getInteger("bench.concurrency", 8);

  @Test
  void commitThroughputAndLatency() throws Exception {
    // one client makes every play: limits so high they never bite, but still counted (their cost is in the figures)
    try (PaidPlays plays = new PaidPlays(100_000, Map.of("BUYER_LIMIT_PENDING_PER_EMAIL", "1000000",
        "BUYER_LIMIT_PENDING_PER_ADDRESS", "1000000", "BUYER_LIMIT_PER_EMAIL", "1000000",
        "BUYER_LIMIT_PER_ADDRESS", "1000000"), true)) {
      List<Long> listings = new ArrayList<>();
      int warm = 50;
      for (int i = 0; i < PLAYS + warm; i++) {
        listings.add(plays.single(2_000 + i));
      }
      String url = plays.tot.node.url(AppName.TOT, "/api/play/flip");
      String health = plays.tot.node.url(AppName.TOT, "/health");
      run("warm-up /health", 200, i -> get(health));
      Result bare = run("/health", PLAYS, i -> get(health));
      run("warm-up commit", warm, i -> post(url, listings.get(PLAYS + i)));
      Result commit = run("play commit", PLAYS, i -> post(url, listings.get(i)));
      System.err.printf("BENCH (after %d warm-up commits) plays=%d concurrency=%d | commit: %.1f/s p50=%.1fms p99=%.1fms errors=%d | "
              + "bare /health: %.1f/s p50=%.1fms p99=%.1fms%n", warm, PLAYS, CONCURRENCY, commit.perSecond, commit.p50,
          commit.p99, commit.errors, bare.perSecond, bare.p50, bare.p99);
    }
  }

  private interface Call {
    int status(int i) throws Exception;
  }

  private record Result(double perSecond, double p50, double p99, int errors) {
  }

  private static Result run(String name, int n, Call call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
    List<Double> millis = Collections.synchronizedList(new ArrayList<>());
    List<Future<Integer>> results = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      int index = i;
      results.add(pool.submit(() -> {
        long t0 = System.nanoTime();
        int status = call.status(index);
        millis.add((System.nanoTime() - t0) / 1e6);
        return status;
      }));
    }
    int errors = 0;
    for (Future<Integer> f : results) {
      int s = f.get();
      if (s >= 300) {
        errors++;
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    List<Double> sorted = new ArrayList<>(millis);
    Collections.sort(sorted);
    return new Result(n / seconds, sorted.get(sorted.size() / 2), sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1),
        errors);
  }

  private static int get(String url) throws Exception {
    return io.slabtrack.tot.TotFixture.HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static int post(String url, long listing) throws Exception {
    String body = new JsonObject().put("listingIds", new JsonArray().add(listing)).put("email", "bench@example.com")
        .put("shippingAddress", new JsonObject().put("name", "B").put("line1", "1 Main").put("city", "Memphis")
            .put("postalCode", "38103").put("country", "US")).encode();
    return io.slabtrack.tot.TotFixture.HTTP.send(HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
