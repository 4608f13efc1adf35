package io.slabtrack.launcher.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "soak", mixinStandardHelpOptions = true,
    description = "Memory under a steady load: paid Storefront checkouts (default 1,000 a minute) plus browse traffic "
        + "for N minutes. The Storefront is a node in a JVM of its own; its heap after a full GC (jcmd GC.run, "
        + "GC.heap_info) is printed every minute, apart from this JVM's (core, the Stripe simulator, the load). "
        + "Goal: each app JVM <= 512 MB after GC and flat between the 5th and the last minute.")
public final class SoakBenchmark implements Callable<Integer> {
  static final double HEAP_GOAL_MB = 512;

  @Option(names = "--minutes", defaultValue = "8", description = "minutes of load (default ${DEFAULT-VALUE})")
  int minutes;

  @Option(names = "--checkouts-per-minute", defaultValue = "1000", description = "paid checkouts a minute (default ${DEFAULT-VALUE})")
  int perMinute;

  @Option(names = "--browse-per-second", defaultValue = "20", description = "browse requests a second (default ${DEFAULT-VALUE})")
  int browsePerSecond;

  @Option(names = "--heap", defaultValue = "1g", description = "the Storefront JVM's -Xmx: room to show growth (default ${DEFAULT-VALUE})")
  String heap;

  private final AtomicLong started = new AtomicLong();
  private final AtomicLong created = new AtomicLong();
  private final AtomicLong paid = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong browsed = new AtomicLong();
  private final AtomicLong browseFailed = new AtomicLong();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Histogram checkoutMicros = new ConcurrentHistogram(60_000_000L, 3);
  private final Histogram browseMicros = new ConcurrentHistogram(60_000_000L, 3);
  private volatile String firstFailure;

  @Override
  public Integer call() throws Exception {
    SummaryTable.print("soak, " + minutes + " min", run());
    return 0;
  }

  /** The soak's rows for {@code bench all}; also prints the minute-by-minute table. */
  List<SummaryTable.Row> run() throws Exception {
    int cards = perMinute * minutes + perMinute / 10 + 50;
    try (StorefrontRig rig = StorefrontRig.start(cards, heap)) {
      long shopPid = rig.storefront.pid();
      Optional<Wrk.Result> bare = Wrk.run(rig.storefrontUrl("/api/bench-bare-404"), 64, 10);
      Vertx load = Vertx.vertx();
      WebClient http = WebClient.create(load, new WebClientOptions().setProtocolVersion(HttpVersion.HTTP_1_1)
          .setKeepAlive(true), new io.vertx.core.http.PoolOptions().setHttp1MaxSize(256));
      List<String> minuteRows = new ArrayList<>();
      double[] shopHeap = new double[minutes + 1];
      double[] benchHeap = new double[minutes + 1];
      shopHeap[0] = HeapProbe.afterFullGcMb(shopPid);
      benchHeap[0] = ownHeapAfterGcMb();
      minuteRows.add(minuteRow(0, shopHeap[0], HeapProbe.rssMb(shopPid), benchHeap[0], "–", rig));
      long checkoutEveryNanos = 60_000_000_000L / perMinute;
      long browseEveryNanos = 1_000_000_000L / Math.max(1, browsePerSecond);
      AtomicInteger next = new AtomicInteger();
      long t0 = System.nanoTime();
      long checkoutTimer = load.setPeriodic(Math.max(1, checkoutEveryNanos / 1_000_000), id -> {
        // open loop on the schedule's clock, not on answers: a slow app gets the same load
        long due = (System.nanoTime() - t0) / checkoutEveryNanos + 1;
        while (started.get() < due && next.get() < rig.cardIds.size()) {
          started.incrementAndGet();
          checkout(http, rig, rig.cardIds.get(next.getAndIncrement()));
        }
      });
      long browseTimer = load.setPeriodic(Math.max(1, browseEveryNanos / 1_000_000), id -> browse(http, rig));
      for (int m = 1; m <= minutes; m++) {
        long until = t0 + m * 60_000_000_000L;
        while (System.nanoTime() < until) {
          Thread.sleep(Math.max(1, Math.min(1000, (until - System.nanoTime()) / 1_000_000)));
        }
        shopHeap[m] = HeapProbe.afterFullGcMb(shopPid);
        benchHeap[m] = ownHeapAfterGcMb();
        minuteRows.add(minuteRow(m, shopHeap[m], HeapProbe.rssMb(shopPid), benchHeap[m],
            String.format("%,d / %,d", paid.get(), failed.get()), rig));
        System.out.println("minute " + minuteRows.get(minuteRows.size() - 1)); // progress; the table comes at the end
      }
      load.cancelTimer(checkoutTimer);
      load.cancelTimer(browseTimer);
      long drain = System.nanoTime() + 30_000_000_000L;
      while (inFlight.get() > 0 && System.nanoTime() < drain) {
        Thread.sleep(100);
      }
      Thread.sleep(5_000); // the last webhooks and captures
      JsonObject orders = rig.ordersByState();
      load.close().await();
      // what the Storefront retains, by class (a full GC first): the first place a leak shows
      String histogram = HeapProbe.jcmd(shopPid, "GC.class_histogram");
      System.out.println();
      System.out.println("Storefront JVM class histogram after the load (top 15):");
      histogram.lines().limit(18).forEach(System.out::println);

      System.out.println();
      System.out.println("### soak: " + perMinute + " checkouts/min + " + browsePerSecond + " browse req/s for "
          + minutes + " min (heap after a full GC, MB)");
      System.out.println("| minute | Storefront JVM heap | Storefront RSS | bench JVM heap (core + simulator + load) "
          + "| checkouts paid / failed | simulator store |");
      System.out.println("|---|---|---|---|---|---|");
      minuteRows.forEach(System.out::println);
      System.out.printf("checkouts: %,d started, %,d created (201), %,d paid at the simulator, %,d failed; orders by "
          + "state %s; checkout POST p50 %.1f ms p99 %.1f ms; browse %,d (%,d failed) p50 %.1f ms p99 %.1f ms%n",
          started.get(), created.get(), paid.get(), failed.get(), orders.encode(),
          checkoutMicros.getValueAtPercentile(50) / 1000.0, checkoutMicros.getValueAtPercentile(99) / 1000.0,
          browsed.get(), browseFailed.get(), browseMicros.getValueAtPercentile(50) / 1000.0,
          browseMicros.getValueAtPercentile(99) / 1000.0);
      if (firstFailure != null) {
        System.out.println("first failure: " + firstFailure);
      }
      int fifth = Math.min(5, minutes);
      double growth = shopHeap[minutes] - shopHeap[fifth];
      String verdict = shopHeap[minutes] <= HEAP_GOAL_MB && Math.abs(growth) <= Math.max(16, shopHeap[fifth] * 0.1)
          ? "within goal" : "NOT within goal";
      String bareAnchor = bare.map(b -> "bare JSON 404 route of the same Storefront: " + b.describe())
          .orElse(Wrk.INSTALL_HINT);
      List<SummaryTable.Row> rows = new ArrayList<>();
      rows.add(new SummaryTable.Row("soak " + minutes + " min: Storefront JVM heap after full GC, minute "
          + fifth + " → " + minutes,
          String.format("%.0f → %.0f MB (%+.0f MB; RSS %.0f MB), %s", shopHeap[fifth], shopHeap[minutes], growth,
              HeapProbe.rssMb(shopPid), verdict),
          String.format("minute 0 (cards listed, no load yet) %.0f MB; bench JVM (core + simulator + load) "
              + "%.0f → %.0f MB", shopHeap[0], benchHeap[fifth], benchHeap[minutes]),
          "≤ 512 MB and flat"));
      rows.add(new SummaryTable.Row("soak " + minutes + " min: paid checkouts + browse",
          String.format("%,d paid, %,d failed; checkout POST p99 %.1f ms; browse %,d req p99 %.1f ms; orders %s",
              paid.get(), failed.get(), checkoutMicros.getValueAtPercentile(99) / 1000.0, browsed.get(),
              browseMicros.getValueAtPercentile(99) / 1000.0, orders.encode()),
          bareAnchor, perMinute + " a minute, 0 failures"));
      return rows;
    }
  }

  private void checkout(WebClient http, StorefrontRig rig, long cardId) {
    inFlight.incrementAndGet();
    long t = System.nanoTime();
    JsonObject body = new JsonObject().put("cardIds", new JsonArray().add(cardId))
        .put("email", "soak-" + cardId + "@example.com")
        .put("shippingAddress", new JsonObject().put("name", "Soak Buyer").put("line1", cardId + " Elm St")
            .put("city", "X").put("postalCode", "1").put("country", "US"));
    // each buyer its own address (through the trusted proxy header) and e-mail, under the default buyer limits
    String address = "10." + (cardId >> 16 & 255) + "." + (cardId >> 8 & 255) + "." + (cardId & 255);
    http.postAbs(rig.storefrontUrl("/api/storefronts/bench/checkout")).timeout(30_000)
        .putHeader("X-Forwarded-For", address).sendJsonObject(body)
        .compose(r -> {
          checkoutMicros.recordValue(Math.min(60_000_000L, (System.nanoTime() - t) / 1000));
          if (r.statusCode() != 201) {
            throw new IllegalStateException("checkout " + r.statusCode() + " " + r.bodyAsString());
          }
          created.incrementAndGet();
          String url = r.bodyAsJsonObject().getString("checkoutUrl");
          String session = url.substring(url.lastIndexOf('/') + 1);
          return http.postAbs(rig.simBase + "/_sim/checkout/" + session + "/pay").timeout(30_000)
              .sendJsonObject(new JsonObject());
        })
        .onComplete(ar -> {
          inFlight.decrementAndGet();
          if (ar.succeeded() && ar.result().statusCode() == 200) {
            paid.incrementAndGet();
          } else {
            failed.incrementAndGet();
            if (firstFailure == null) {
              firstFailure = ar.failed() ? ar.cause().toString() : "pay " + ar.result().statusCode() + " "
                  + ar.result().bodyAsString();
            }
          }
        });
  }

  private void browse(WebClient http, StorefrontRig rig) {
    long t = System.nanoTime();
    http.getAbs(rig.storefrontUrl("/api/storefronts/bench/cards")).timeout(30_000).send().onComplete(ar -> {
      browseMicros.recordValue(Math.min(60_000_000L, (System.nanoTime() - t) / 1000));
      if (ar.succeeded() && ar.result().statusCode() == 200) {
        browsed.incrementAndGet();
      } else {
        browseFailed.incrementAndGet();
      }
    });
  }

  private static String minuteRow(int minute, double shopHeap, double shopRss, double benchHeap, String checkouts,
                                  StorefrontRig rig) {
    String store;
    try {
      store = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build()
          .send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(rig.simBase + "/_sim/store")).build(),
              java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    } catch (Exception e) {
      store = "?";
    }
    return String.format("| %d (%s) | %.0f | %.0f | %.0f | %s | %s |", minute, Instant.now().toString().substring(11, 19),
        shopHeap, shopRss, benchHeap, checkouts, store);
  }

  /** This JVM's heap after a full GC (core, the simulator and the load generator live here). */
  private static double ownHeapAfterGcMb() {
    try {
      return HeapProbe.afterFullGcMb(ProcessHandle.current().pid());
    } catch (Exception e) {
      return -1;
    }
  }
}
