package io.slabtrack.launcher.bench;

import io.slabtrack.cluster.app.AppRuntime;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.config.NodeConfig;
import io.slabtrack.cluster.config.RunMode;
import io.slabtrack.cluster.config.Settings;
import io.slabtrack.cluster.db.Databases;
import io.slabtrack.launcher.commands.ServerCommand;
import io.slabtrack.cluster.app.RunningNode;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "browse", mixinStandardHelpOptions = true,
    description = "Buyer browse (Storefront API and shop page, ToT API and GET /) with N cards in one shop and N "
        + "listings, driven by wrk next to each app's bare JSON 404 route (no database) measured in the same run.")
public final class BrowseBenchmark implements Callable<Integer> {
  private static final String SHOP = "bench-shop";

  @Option(names = "--cards", split = ",", defaultValue = "12,5000,50000",
      description = "shop sizes (cards in the shop = ToT listings), comma-separated (default ${DEFAULT-VALUE})")
  List<Integer> sizes;

  @Option(names = "--seconds", defaultValue = "10", description = "wrk run per route (default ${DEFAULT-VALUE})")
  int seconds;

  @Option(names = "--connections", defaultValue = "64", description = "wrk connections (default ${DEFAULT-VALUE})")
  int connections;

  private record Figure(String route, double p50, double p99, double perSecond, long non2xx) {
  }

  @Override
  public Integer call() throws Exception {
    Map<String, String> env = new HashMap<>(BenchCluster.env("slabtrack-bench-" + suffix(), BenchCluster.freePort(),
        null));
    env.put("HZ_MEMBERS", "127.0.0.1:" + env.get("HZ_PORT"));
    env.put("STOREFRONT_DB", "slabtrack_bench_storefront_" + suffix());
    env.put("TOT_DB", "slabtrack_bench_tot_" + suffix());
    env.put("STOREFRONT_PORT", String.valueOf(BenchCluster.freePort()));
    env.put("TOT_PORT", String.valueOf(BenchCluster.freePort()));
    env.put("CORE_PORT", String.valueOf(BenchCluster.freePort()));
    NodeConfig config = NodeConfig.load(new Settings(env), RunMode.DEV, Optional.empty());
    RunningNode node = ServerCommand.await(BenchNodes.provided().start(config, new Settings(env),
        List.of(AppName.STOREFRONT, AppName.TOT)));
    List<String> rows = new ArrayList<>();
    try {
      Pool storefront = pool(node, AppName.STOREFRONT);
      Pool tot = pool(node, AppName.TOT);
      storefront.query("INSERT INTO storefronts (slug, name, owner_id, theme) VALUES ('" + SHOP
          + "', 'Bench shop', 'bench', '{\"preset\": \"classic\", \"palette\": \"slate\"}'::jsonb)").execute()
          .await(60, TimeUnit.SECONDS);
      int seeded = 0;
      String sf = "http://127.0.0.1:" + config.httpPort(AppName.STOREFRONT);
      String tt = "http://127.0.0.1:" + config.httpPort(AppName.TOT);
      for (int size : sizes) {
        seed(storefront, tot, seeded, size);
        seeded = size;
        // the anchor first, then our routes, all in this run on this machine
        Figure sfBare = wrk("Storefront bare 404 `/api/storefronts/x/cards/x`", sf + "/api/storefronts/x/cards/x");
        rows.add(row(size, sfBare, sfBare));
        rows.add(row(size, wrk("`GET /api/storefronts/" + SHOP + "/cards`", sf + "/api/storefronts/" + SHOP + "/cards"),
            sfBare));
        rows.add(row(size, wrk("`GET /s/" + SHOP + "` (page)", sf + "/s/" + SHOP), sfBare));
        Figure totBare = wrk("ToT bare 404 `/api/listings/x`", tt + "/api/listings/x");
        rows.add(row(size, totBare, totBare));
        rows.add(row(size, wrk("`GET /api/listings`", tt + "/api/listings"), totBare));
        rows.add(row(size, wrk("ToT `GET /` (page)", tt + "/"), totBare));
      }
    } finally {
      node.stop().await(60, TimeUnit.SECONDS);
      Databases.drop(config.database(AppName.STOREFRONT));
      Databases.drop(config.database(AppName.TOT));
    }
    System.out.println();
    System.out.println("### buyer browse, wrk -t2 -c" + connections + " -d" + seconds + "s (after a 3 s warm-up), "
        + "same run, same node");
    System.out.println("| cards / listings | route | p50 (ms) | p99 (ms) | req/s | share of the app's bare route |");
    System.out.println("|---|---|---|---|---|---|");
    rows.forEach(System.out::println);
    return 0;
  }

  private static String suffix() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  private static Pool pool(RunningNode node, AppName app) {
    return node.apps().stream().filter(a -> a.context().app() == app).findFirst().map(AppRuntime::context)
        .orElseThrow().pool();
  }

  /** Cards {@code from+1..to} into the shop and as ToT single listings, as their receivers would have stored them. */
  private static void seed(Pool storefront, Pool tot, int from, int to) throws Exception {
    if (to <= from) {
      return;
    }
    storefront.preparedQuery("""
        INSERT INTO storefront_cards (slabtrack_card_id, shop_slug, snapshot, published_price, version)
        SELECT i, $1, jsonb_build_object('id', i, 'player', 'Player ' || i, 'year', 2020, 'setName', 'Prizm',
          'gradingCompany', 'PSA', 'grade', 10, 'cardNumber', i::text, 'certNumber', 'C' || i), 1000 + i, 1
        FROM generate_series($2::int, $3::int) i""").execute(Tuple.of(SHOP, from + 1, to))
        .await(600, TimeUnit.SECONDS);
    tot.preparedQuery("""
        WITH l AS (
          INSERT INTO listings (listing_key, kind, status, version, card_value, spread, win_price, lose_price,
                                flip_eligible, pull_eligible, search_text, players)
          SELECT 'card:' || i, 'single', 'ACTIVE', 1, 2000 + i, 0.25, 1500 + i, 2500 + i, true, true,
                 'Player ' || i || ' 2020 Prizm PSA 10', 'Player ' || i
          FROM generate_series($1::int, $2::int) i RETURNING id, listing_key)
        INSERT INTO listing_cards (listing_id, card_id, version, price, snapshot)
        SELECT l.id, substr(l.listing_key, 6)::bigint, 1, 2000, jsonb_build_object('id', substr(l.listing_key, 6)::bigint,
          'player', 'Player ' || substr(l.listing_key, 6), 'year', 2020, 'setName', 'Prizm', 'gradingCompany', 'PSA',
          'grade', 10) FROM l""").execute(Tuple.of(from + 1, to)).await(600, TimeUnit.SECONDS);
    storefront.query("ANALYZE storefront_cards").execute().await(600, TimeUnit.SECONDS);
    tot.query("ANALYZE listings").execute().await(600, TimeUnit.SECONDS);
  }

  private String row(int size, Figure f, Figure bare) {
    return String.format("| %,d | %s | %.2f | %.2f | %,.0f | %.0f %%%s |", size, f.route(), f.p50(), f.p99(),
        f.perSecond(), 100 * f.perSecond() / bare.perSecond(), f.non2xx() > 0 && f != bare ? " (" + f.non2xx()
            + " non-2xx!)" : "");
  }

  private Figure wrk(String route, String url) throws Exception {
    Wrk.run(url, connections, 3); // warm-up: JIT and the browse cache
    Wrk.Result r = Wrk.run(url, connections, seconds).orElseThrow(() -> new IllegalStateException(Wrk.INSTALL_HINT));
    return new Figure(route, r.p50Ms(), r.p99Ms(), r.requestsPerSecond(), r.non2xx());
  }
}
