package io.slabtrack.core.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.core.CoreFixture;
import io.slabtrack.core.cards.CardField;
import io.slabtrack.core.cards.CardInput;
import io.slabtrack.core.cards.CardSql;
import io.slabtrack.core.strategist.Portfolio;
import io.slabtrack.core.strategist.PortfolioCard;
import io.slabtrack.core.strategist.Preset;
import io.slabtrack.core.strategist.ProposalBuilder;
import io.slabtrack.core.strategist.ProposalStore;
import io.slabtrack.core.strategist.StrategyConfig;
import io.slabtrack.core.teams.TeamCities;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * How long {@code POST /api/strategist/proposals} takes over a 10,000-card personal portfolio (read, score, route,
 * build lots, store, answer the whole proposal over HTTP), next to the Lot Builder's run and a bare {@code /health}
 * in the same run. Off by default; run it with:
 * {@code mvn -B -o -q -pl core-verticles -am test -Dsurefire.failIfNoSpecifiedTests=false
 * -Dtest='io.slabtrack.core.bench.**' -Dbench=true} (figures go to the line "BENCH"; {@code -Dbench.cards=N}).
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
class StrategistBenchmark {
  private static final int CARDS = Integer.getInteger("bench.cards", 10_000);
  private static final int RUNS = Integer.getInteger("bench.runs", 7);

  @Test
  void aWholePortfolioProposal() throws Exception {
    try (CoreFixture core = CoreFixture.start()) {
      insertPortfolio(core);
      String health = core.node.url(AppName.CORE, "/health");
      String strategist = core.node.url(AppName.CORE, "/api/strategist/proposals");
      String lots = core.node.url(AppName.CORE, "/api/lots/proposals");
      String mix = new JsonObject().put("preset", "MIX").put("shop", "demo").encode();
      for (int i = 0; i < 2; i++) { // warm-up
        call(core, strategist, mix);
        call(core, lots, "{}");
      }
      Result proposal = time(RUNS, () -> call(core, strategist, mix));
      Result lotRun = time(RUNS, () -> call(core, lots, "{}"));
      Result bare = time(200, () -> call(core, health, null));
      // the same work in phases, in this JVM: read the portfolio, allocate and encode (worker), store
      Portfolio portfolio = new Portfolio(core.pool());
      ProposalStore store = new ProposalStore(core.pool(), "strategist");
      StrategyConfig config = Preset.MIX.defaults();
      List<Double> read = new ArrayList<>();
      List<Double> build = new ArrayList<>();
      List<Double> insert = new ArrayList<>();
      for (int i = 0; i < RUNS; i++) {
        long t0 = System.nanoTime();
        List<PortfolioCard> cards = await(portfolio.personal(null));
        long t1 = System.nanoTime();
        ProposalBuilder.Built built = ProposalBuilder.build("strategist", config, cards, Instant.now());
        long t2 = System.nanoTime();
        await(store.create(built, "bench"));
        long t3 = System.nanoTime();
        read.add((t1 - t0) / 1e6);
        build.add((t2 - t1) / 1e6);
        insert.add((t3 - t2) / 1e6);
      }
      JsonObject sample = new JsonObject(call(core, strategist, mix));
      assertThat(sample.getJsonArray("cards").size()).isGreaterThan(CARDS * 9 / 10);
      System.err.printf("BENCH strategist proposal over %,d personal cards (%d lots, response %.1f MB): p50=%.0fms "
              + "max=%.0fms (%d runs) | lot builder: p50=%.0fms max=%.0fms | bare /health: p50=%.1fms | phases p50: "
              + "read portfolio %.0fms, allocate+encode %.0fms, store %.0fms | load average %s%n",
          sample.getJsonArray("cards").size(), sample.getJsonArray("lots").size(), proposal.bytes / 1e6,
          proposal.p50, proposal.max, RUNS, lotRun.p50, lotRun.max, bare.p50, median(read), median(build),
          median(insert), loadAverage());
    }
  }

  /** A realistic spread: values log-uniform $1–$2,000, a team on two cards in three, 5% keepers, 2% without comps. */
  private static void insertPortfolio(CoreFixture core) throws Exception {
    Random rnd = new Random(42);
    List<TeamCities.Team> teams = TeamCities.get().teams();
    String[] sets = {"Panini Prizm", "Topps Chrome", "Bowman", "Donruss", "Upper Deck", "Select"};
    String[] sports = {"baseball", "basketball", "football", "hockey"};
    JsonArray rows = new JsonArray();
    for (int i = 0; i < CARDS; i++) {
      TeamCities.Team team = teams.get(rnd.nextInt(teams.size()));
      long cents = Math.round(100 * Math.pow(10, rnd.nextDouble() * 3.3));
      boolean noComp = rnd.nextInt(50) == 0;
      JsonObject c = new JsonObject().put("player", "Player " + rnd.nextInt(1_500)).put("year", 1990 + rnd.nextInt(37))
          .put("setName", sets[rnd.nextInt(sets.length)]).put("gradingCompany", "PSA").put("grade", 10)
          .put("certNumber", "B" + i).put("ebaySampleSize", rnd.nextInt(25))
          .put("compsRefreshedAt", Instant.now().minusSeconds(rnd.nextInt(60 * 86_400)).toString())
          .put("isKeeper", rnd.nextInt(20) == 0);
      if (rnd.nextInt(3) > 0) {
        c.put("team", team.name()).put("sport", sportOf(team.league(), sports));
      } else {
        c.put("sport", sports[rnd.nextInt(sports.length)]);
      }
      if (!noComp) {
        c.put("askingPrice", cents).put("sportscardsproPsa10", Math.round(cents * (0.8 + rnd.nextDouble() * 0.4)));
      }
      rows.add(CardInput.toRecord(CardInput.forCreate(c)));
    }
    List<CardField> fields = List.of(CardField.PLAYER, CardField.YEAR, CardField.SET_NAME, CardField.GRADING_COMPANY,
        CardField.GRADE, CardField.CERT_NUMBER, CardField.EBAY_SAMPLE_SIZE, CardField.COMPS_REFRESHED_AT,
        CardField.IS_KEEPER, CardField.TEAM, CardField.SPORT, CardField.ASKING_PRICE, CardField.PSA10);
    core.pool().withTransaction(tx -> tx.preparedQuery(CardSql.insertFromJson(fields)).execute(Tuple.of(rows, "bench"))
        .compose(x -> tx.query("INSERT INTO card_channels (card_id, channel, status) SELECT id, 'personal', 'active'"
            + " FROM cards").execute())).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    assertThat(core.count("SELECT count(*) FROM cards")).isEqualTo(CARDS);
  }

  private static String sportOf(String league, String[] sports) {
    return switch (league) {
      case "MLB" -> sports[0];
      case "NBA" -> sports[1];
      case "NFL" -> sports[2];
      default -> sports[3];
    };
  }

  private static <T> T await(io.vertx.core.Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }

  private static double median(List<Double> xs) {
    List<Double> sorted = new ArrayList<>(xs);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  /** The machine's 1-minute load average (the figures only mean something next to it), or "n/a". */
  private static String loadAverage() {
    double l = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    return l < 0 ? "n/a" : String.format("%.1f on %d cores", l, Runtime.getRuntime().availableProcessors());
  }

  private interface Call {
    String body() throws Exception;
  }

  private record Result(double p50, double max, long bytes) {
  }

  private static Result time(int n, Call call) throws Exception {
    List<Double> millis = new ArrayList<>();
    long bytes = 0;
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      bytes = call.body().length();
      millis.add((System.nanoTime() - t0) / 1e6);
    }
    Collections.sort(millis);
    return new Result(millis.get(millis.size() / 2), millis.get(millis.size() - 1), bytes);
  }

  private static String call(CoreFixture core, String url, String body) throws Exception {
    // gzip as a browser asks for it: the proposal is megabytes of JSON
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + core.operator)
        .header("Accept-Encoding", "gzip");
    if (body == null) {
      b.GET();
    } else {
      b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    }
    HttpResponse<java.io.InputStream> r = CoreFixture.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    boolean gzip = r.headers().firstValue("Content-Encoding").filter("gzip"::equals).isPresent();
    try (java.io.InputStream in = gzip ? new java.util.zip.GZIPInputStream(r.body()) : r.body()) {
      String answer = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      if (r.statusCode() >= 300) {
        throw new AssertionError(url + " answered " + r.statusCode() + ": " + answer);
      }
      return answer;
    }
  }
}
