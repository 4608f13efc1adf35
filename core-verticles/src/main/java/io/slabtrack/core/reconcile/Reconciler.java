package io.slabtrack.core.reconcile;

import io.slabtrack.cluster.bus.Addresses.ReconcileSnapshot;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.metrics.ReconcileMetrics;
import io.slabtrack.cluster.salelock.SaleLock;
import io.slabtrack.cluster.salelock.SaleLocks;
import io.slabtrack.core.channels.Channel;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reconciler run: read every satellite's snapshots (paged, over the bus), core's books and the sale-lock map,
 * name the drift, heal it in heal mode, and keep the run's progress readable throughout. A satellite that can't be
 * read completely is marked unreachable and nothing is judged or healed there; the run still completes.
 */
public final class Reconciler {
  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
  private static final long HEARTBEAT_MS = 30_000;
  /** Heal order: record the sales first, so later fixes see sold cards as sold and never republish them. */
  private static final List<DriftKind> HEAL_ORDER = List.of(DriftKind.PAID_NOT_SOLD, DriftKind.SOLD_BUT_LISTED,
      DriftKind.ORPHAN_LOCK, DriftKind.UNKNOWN_LISTING, DriftKind.STALE_ENGAGE, DriftKind.STALE_SNAPSHOT,
      DriftKind.MONEY_MISMATCH, DriftKind.STRIPE_UNSETTLED, DriftKind.DOUBLE_SALE);

  private final Vertx vertx;
  private final Pool pool;
  private final SaleLocks saleLocks;
  private final SatelliteReader reader;
  private final Healer healer;
  private final RunStore runs;
  private final ReconcileMetrics metrics;

  Reconciler(Vertx vertx, Pool pool, SaleLocks saleLocks, SatelliteReader reader, Healer healer, RunStore runs) {
    this.vertx = vertx;
    this.pool = pool;
    this.saleLocks = saleLocks;
    this.reader = reader;
    this.healer = healer;
    this.runs = runs;
    this.metrics = ReconcileMetrics.of(vertx, AppName.CORE);
    metrics.expect(Arrays.stream(DriftKind.values()).map(DriftKind::wire).toList());
  }

  /** What one satellite said, complete, or why it couldn't be read. */
  private record Snapshot(Channel channel, List<JsonObject> listings, List<JsonObject> orders,
                          List<JsonObject> checkouts, JsonObject stripe) {
  }

  /**
   * Starts a run: the returned run (status running) is readable at once; the work goes on in the background.
   * @param done completed when the run has finished (for the scheduler and tests), may be null
   */
  public Future<JsonObject> start(ReconcileOptions options, String trigger, String requestedBy,
                                  Promise<JsonObject> done) {
    UUID id = UUID.randomUUID();
    return runs.create(id, options, trigger, requestedBy).onSuccess(run -> {
      long timer = vertx.setPeriodic(HEARTBEAT_MS, t -> runs.heartbeat(id));
      execute(id, options, trigger)
          .recover(e -> {
            LOG.error("reconciler run {} failed", id, e);
            metrics.run(trigger, "failed", Map.of());
            return runs.finish(id, "failed", new JsonObject(), RunStore.zeroCounts(), 0, 0, e.toString());
          })
          .compose(x -> runs.get(id))
          .onComplete(r -> {
            vertx.cancelTimer(timer);
            if (done != null) {
              done.handle(r);
            }
          });
    });
  }

  private Future<Void> execute(UUID id, ReconcileOptions options, String trigger) {
    Instant cutoff = Instant.now().minusSeconds(options.graceSeconds());
    JsonObject channels = new JsonObject();
    Map<Channel, Snapshot> reached = new LinkedHashMap<>();
    Future<Void> chain = Future.succeededFuture();
    for (Channel channel : options.channels()) {
      chain = chain.compose(x -> runs.progress(id, "reading " + channel.slug, channels))
          .compose(x -> read(channel, options, channels)
              .map(snapshot -> {
                reached.put(channel, snapshot);
                return (Void) null;
              })
              .recover(e -> {
                LOG.warn("reconciler run {}: {} unreachable: {}", id, channel.slug, e.toString());
                channels.put(channel.slug, new JsonObject().put("reachable", false).put("error", e.getMessage()));
                return Future.succeededFuture();
              }));
    }
    return chain.compose(x -> saleLocks.active().map(l -> (List<SaleLock>) l).recover(e -> {
          LOG.warn("reconciler run {}: sale-lock map unreadable, orphan locks not checked: {}", id, e.toString());
          return Future.succeededFuture(null);
        }))
        .compose(locks -> runs.progress(id, "comparing", channels).compose(x -> compare(reached, locks, cutoff,
            options)))
        .compose(found -> {
          int cardsChecked = (int) reached.values().stream().flatMap(s -> s.listings().stream())
              .map(l -> l.getLong("cardId")).distinct().count();
          List<Drift> drifts = found.drifts();
          JsonObject counts = RunStore.zeroCounts();
          drifts.forEach(d -> counts.put(d.kind().wire(), counts.getInteger(d.kind().wire()) + 1));
          counts.put("total", drifts.size());
          Future<List<String>> heals = options.heal()
              ? runs.progress(id, "healing", channels).compose(x -> healAll(id, drifts, found.ordersByRef()))
              : Future.succeededFuture(null);
          return heals.compose(results -> {
            int healed = results == null ? 0 : (int) results.stream().filter(r -> r != null && r.startsWith("healed"))
                .count();
            return runs.saveDrift(id, drifts, results)
                .compose(x -> runs.finish(id, "done", channels, counts, healed, cardsChecked, null))
                .onSuccess(x -> LOG.info("reconciler run {} ({}) done: {} drift, {} healed, {} cards checked", id,
                    options.mode(), drifts.size(), healed, cardsChecked))
                .onSuccess(x -> countRun(trigger, drifts, results));
          });
        });
  }

  private Future<Snapshot> read(Channel channel, ReconcileOptions options, JsonObject channels) {
    AppName app = channel == Channel.THISORTHAT ? AppName.TOT : AppName.STOREFRONT;
    JsonObject progress = new JsonObject().put("reachable", true);
    channels.put(channel.slug, progress);
    return reader.all(app, ReconcileSnapshot.LISTINGS, n -> progress.put("listings", progress.getInteger("listings", 0) + n))
        .compose(listings -> reader.all(app, ReconcileSnapshot.ORDERS,
                n -> progress.put("orders", progress.getInteger("orders", 0) + n))
            .compose(orders -> reader.all(app, ReconcileSnapshot.CHECKOUTS,
                    n -> progress.put("checkouts", progress.getInteger("checkouts", 0) + n))
                .compose(checkouts -> reader.stripe(app, options.heal(), options.graceSeconds()).map(stripe -> {
                  progress.put("stripeConfigured", stripe.getBoolean("configured", false))
                      .put("stripeEvents", stripe.getInteger("listedEvents", 0));
                  return new Snapshot(channel, listings, orders, checkouts, stripe);
                }))));
  }

  /** The findings, and the satellites' orders by channel and ref (the ledger heal writes them). */
  private record Findings(List<Drift> drifts, Map<String, Map<String, JsonObject>> ordersByRef) {
  }

  private Future<Findings> compare(Map<Channel, Snapshot> reached, List<SaleLock> locks, Instant cutoff,
                                   ReconcileOptions options) {
    Map<String, List<JsonObject>> ordersByChannel = new LinkedHashMap<>();
    reached.forEach((ch, s) -> ordersByChannel.put(ch.slug, s.orders()));
    List<Drift> doubleSales = DriftDetector.doubleSales(ordersByChannel);
    Set<Long> doubleSold = DriftDetector.cardsOf(doubleSales);
    List<Drift> all = new ArrayList<>();
    Map<String, Map<String, JsonObject>> byRef = new HashMap<>();
    Future<Void> chain = Future.succeededFuture();
    for (Snapshot s : reached.values()) {
      chain = chain.compose(x -> {
        Set<Long> mentioned = new HashSet<>();
        s.listings().forEach(l -> mentioned.add(l.getLong("cardId")));
        s.orders().forEach(o -> mentioned.addAll(DriftDetector.longs(o.getJsonArray("cardIds"))));
        return CoreBooks.cards(pool, s.channel().slug, mentioned)
            // the comparison walks every entry (100,000s of them): a worker thread, never the event loop
            .compose(core -> CoreBooks.ledger(pool, s.channel().slug).compose(ledger -> vertx.executeBlocking(() -> {
              DriftDetector detector = new DriftDetector(s.channel().slug, cutoff, options);
              all.addAll(detector.listings(s.listings(), core, DriftDetector.soldIn(s.orders())));
              all.addAll(detector.orders(s.orders(), core, doubleSold));
              all.addAll(detector.ledger(s.orders(), ledger));
              if (locks != null) {
                all.addAll(detector.locks(locks, s.checkouts()));
              }
              all.addAll(detector.stripe(s.stripe()));
              Map<String, JsonObject> refs = new HashMap<>();
              s.orders().forEach(o -> refs.put(o.getString("orderRef"), o));
              byRef.put(s.channel().slug, refs);
              return (Void) null;
            }, false)));
      });
    }
    return chain.map(x -> {
      all.addAll(doubleSales);
      all.sort(Comparator.comparingInt((Drift d) -> HEAL_ORDER.indexOf(d.kind())));
      return new Findings(all, byRef);
    });
  }

  /** Every kind, zero included, so the last-run gauge of a kind drops back to 0 once a run finds none of it. */
  private void countRun(String trigger, List<Drift> drifts, List<String> heals) {
    Map<String, Integer> byKind = new LinkedHashMap<>();
    for (DriftKind kind : DriftKind.values()) {
      byKind.put(kind.wire(), 0);
    }
    drifts.forEach(d -> byKind.merge(d.kind().wire(), 1, Integer::sum));
    metrics.run(trigger, "done", byKind);
    if (heals != null) {
      for (int i = 0; i < drifts.size() && i < heals.size(); i++) {
        String result = heals.get(i);
        metrics.heal(drifts.get(i).kind().wire(), result != null && result.startsWith("healed") ? "healed" : "not_healed");
      }
    }
  }

  /** Heals one drift at a time, in {@link #HEAL_ORDER}; the satellite already settled its Stripe events. */
  private Future<List<String>> healAll(UUID id, List<Drift> drifts, Map<String, Map<String, JsonObject>> byRef) {
    List<String> results = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (Drift d : drifts) {
      chain = chain.compose(x -> {
        if (d.kind() == DriftKind.STRIPE_UNSETTLED) {
          boolean done = d.evidence().getBoolean("healed", false);
          String outcome = done ? "healed: settled through the webhook path (" + d.evidence().getString("outcome") + ")"
              : "failed: the satellite could not settle it";
          return (done ? healer.logSatelliteHeal(id, d, outcome) : Future.<Void>succeededFuture())
              .map(y -> results.add(outcome)).mapEmpty();
        }
        return healer.heal(id, d, byRef.getOrDefault(d.channel(), Map.of())).map(r -> results.add(r)).mapEmpty();
      });
    }
    return chain.map(results);
  }
}
