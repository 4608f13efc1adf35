package io.slabtrack.nemesis;

import io.slabtrack.cluster.config.AppName;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.io.PrintStream;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Judges a run from the outside: the recorded history, the three apps' databases (plain SQL) and the Stripe
 * simulator's ledger (its API), never what the apps conclude themselves. Prints each violation with the history
 * lines that show it.
 */
public final class Checker implements AutoCloseable {
  private static final Set<String> SF_SOLD = Set.of("paid", "shipped", "delivered", "disputed");
  private static final Set<String> TOT_SOLD = Set.of("paid", "shipped", "delivered", "disputed");

  /** What the table shows, and every violation found. */
  public record Verdict(int operations, int sales, int doubleSales, int lostPayments, int unresolved,
                        List<String> violations) {
  }

  private record Order(String channel, String id, String state, Long[] cards, String claimId, String pi,
                       OffsetDateTime created) {
  }

  private final Cluster cluster;
  private final Sql sql;
  private final PrintStream out;

  public Checker(Cluster cluster, Sql sql, PrintStream out) {
    this.cluster = cluster;
    this.sql = sql;
    this.out = out;
  }

  private List<Row> rows(AppName app, String query, Object... params) {
    return sql.rows(app, query, params);
  }

  private long count(AppName app, String query) {
    return sql.count(app, query);
  }

  /** Orders and plays still waiting (pending, awaiting confirmation, committed), and undelivered outbox rows. */
  public long inFlight() {
    long waiting = count(AppName.STOREFRONT, "SELECT count(*) FROM orders WHERE state IN ('pending', "
        + "'awaiting_confirmation')")
        + count(AppName.TOT, "SELECT count(*) FROM plays WHERE status IN ('COMMITTED', 'AWAITING_CONFIRMATION')")
        + count(AppName.TOT, "SELECT count(*) FROM orders WHERE status = 'awaiting_confirmation'");
    for (AppName app : AppName.values()) {
      waiting += count(app, "SELECT count(*) FROM outbox WHERE status = 'pending'");
    }
    return waiting;
  }

  private List<Order> orders() {
    List<Order> all = new ArrayList<>();
    for (Row r : rows(AppName.STOREFRONT, "SELECT id, state, card_ids, claim_id, payment_intent_id, created_at "
        + "FROM orders")) {
      all.add(new Order("storefront", r.getString(0), r.getString(1), r.getArrayOfLongs(2), r.getString(3),
          r.getString(4), r.getOffsetDateTime(5)));
    }
    Map<String, Row> totOrders = new HashMap<>();
    for (Row r : rows(AppName.TOT, "SELECT play_id, status, claim_id, id FROM orders")) {
      totOrders.put(r.getString(0), r);
    }
    for (Row r : rows(AppName.TOT, "SELECT id, status, card_ids, payment_intent_id, created_at FROM plays")) {
      Row o = totOrders.get(r.getString(0));
      // a play's state is its order's once it has one (the order carries payment and claim)
      String state = o == null ? r.getString(1) : o.getString(1);
      all.add(new Order("thisorthat", r.getString(0), state, r.getArrayOfLongs(2), o == null ? null : o.getString(2),
          r.getString(3), r.getOffsetDateTime(4)));
    }
    return all;
  }

  public Verdict check(History history, List<Long> cards) {
    List<String> violations = new ArrayList<>();
    List<History.Line> lines = history.lines();
    int operations = (int) lines.stream().filter(l -> l.type().equals("invoke")).count();
    List<Order> orders = orders();
    Map<String, Order> byClaim = new HashMap<>();
    Map<String, Order> byPi = new HashMap<>();
    for (Order o : orders) {
      if (o.claimId() != null) {
        byClaim.put(o.claimId(), o);
      }
      if (o.pi() != null) {
        byPi.put(o.pi(), o);
      }
    }
    // core's view of our cards
    Map<Long, Row> core = new HashMap<>();
    for (Row r : rows(AppName.CORE, "SELECT id, listing_status, sold_channel, sold_order_ref, sold_claim_id "
        + "FROM cards WHERE id = ANY($1)", (Object) cards.toArray(Long[]::new))) {
      core.put(r.getLong(0), r);
    }
    int sales = (int) core.values().stream().filter(r -> "sold".equals(r.getString(1))).count();

    // 1. every card sold at most once: by the satellites' paid orders, and by core's unreleased won claims
    Map<Long, List<Order>> soldBy = new HashMap<>();
    for (Order o : orders) {
      boolean sold = o.channel().equals("storefront") ? SF_SOLD.contains(o.state()) : TOT_SOLD.contains(o.state());
      if (sold) {
        for (Long c : o.cards()) {
          soldBy.computeIfAbsent(c, k -> new ArrayList<>()).add(o);
        }
      }
    }
    Map<Long, List<String>> wonClaims = new HashMap<>();
    for (Row r : rows(AppName.CORE, "SELECT claim_id, card_ids FROM sale_claims WHERE outcome = 'won' "
        + "AND released_at IS NULL")) {
      for (Long c : r.getArrayOfLongs(1)) {
        wonClaims.computeIfAbsent(c, k -> new ArrayList<>()).add(r.getString(0));
      }
    }
    int doubleSales = 0;
    for (Long card : cards) {
      List<Order> by = soldBy.getOrDefault(card, List.of());
      List<String> claims = wonClaims.getOrDefault(card, List.of());
      if (by.size() > 1 || claims.size() > 1) {
        doubleSales++;
        violations.add(report("DOUBLE SALE of card " + card + ": paid orders " + by.stream()
            .map(o -> o.channel() + ":" + o.id()).toList() + ", won claims at core " + claims, history, null, null,
            card));
      }
    }

    // 2. the ledger: every PaymentIntent any order or the history knows, as the simulator tells it
    Set<String> intents = new LinkedHashSet<>(byPi.keySet());
    lines.stream().map(History.Line::pi).filter(p -> p != null).forEach(intents::add);
    int lost = 0;
    int heldAuthorizations = 0;
    for (String pi : intents) {
      Api.Answer a = Api.call("GET", cluster.stripeBase() + "/v1/payment_intents/" + pi, cluster.stripeKey(), null,
          Duration.ofSeconds(10));
      if (!a.ok()) {
        violations.add("ledger: PaymentIntent " + pi + " unreadable: " + a.reason());
        continue;
      }
      String status = a.json().getString("status");
      Order o = byPi.get(pi);
      if ("succeeded".equals(status)) {
        String why = null;
        if (o == null) {
          why = "no order or play has it";
        } else if (!(o.channel().equals("storefront") ? SF_SOLD : TOT_SOLD).contains(o.state())) {
          why = o.channel() + " " + o.id() + " is " + o.state();
        } else {
          for (Long c : o.cards()) {
            Row r = core.get(c);
            if (r == null || !"sold".equals(r.getString(1)) || !java.util.Objects.equals(o.claimId(),
                r.getString(4))) {
              why = "core has card " + c + " as " + (r == null ? "unknown" : r.getString(1) + " by claim "
                  + r.getString(4)) + ", the order's claim is " + o.claimId();
            }
          }
        }
        if (why != null) {
          lost++;
          violations.add(report("LOST PAYMENT " + pi + " captured " + a.json().getLong("amount_received") + ": "
              + why, history, o == null ? null : o.id(), pi, -1));
        }
      } else if ("requires_capture".equals(status)) {
        heldAuthorizations++;
        violations.add(report("HELD AUTHORIZATION " + pi + " still uncaptured and uncancelled ("
            + (o == null ? "no order" : o.channel() + " " + o.id() + " " + o.state()) + ")", history,
            o == null ? null : o.id(), pi, -1));
      }
    }

    // 3. every authorization that lost its claim was cancelled, never captured
    for (Row r : rows(AppName.CORE, "SELECT claim_id, order_ref FROM sale_claims WHERE outcome = 'lost'")) {
      Order o = byClaim.get(r.getString(0));
      if (o == null || o.pi() == null) {
        continue;
      }
      Api.Answer a = Api.call("GET", cluster.stripeBase() + "/v1/payment_intents/" + o.pi(), cluster.stripeKey(),
          null, Duration.ofSeconds(10));
      String status = a.json().getString("status");
      if ("succeeded".equals(status)) {
        violations.add(report("CAPTURED AFTER A LOST CLAIM " + r.getString(0) + ": " + o.pi() + " succeeded",
            history, o.id(), o.pi(), -1));
      }
    }

    // 4. nothing left waiting past the lock TTL plus grace
    int unresolved = heldAuthorizations;
    OffsetDateTime limit = OffsetDateTime.now().minusSeconds(Cluster.LOCK_TTL_SECONDS + Cluster.LOCK_GRACE_SECONDS
        + 30);
    for (Order o : orders) {
      boolean waiting = Set.of("pending", "awaiting_confirmation", "COMMITTED", "AWAITING_CONFIRMATION")
          .contains(o.state());
      if (waiting && o.created().isBefore(limit)) {
        unresolved++;
        violations.add(report("UNRESOLVED " + o.channel() + " " + o.id() + " still " + o.state() + " (created "
            + o.created() + ")", history, o.id(), o.pi(), -1));
      }
    }

    // 5. outboxes drained, dead letters shown
    for (AppName app : AppName.values()) {
      long pending = count(app, "SELECT count(*) FROM outbox WHERE status = 'pending'");
      if (pending > 0) {
        violations.add("OUTBOX " + app.id() + ": " + pending + " rows still pending after the quiet period");
      }
      for (Row r : rows(app, "SELECT id, address, aggregate, attempts, last_error FROM outbox WHERE status = 'dead'")) {
        violations.add("DEAD LETTER " + app.id() + " #" + r.getLong(0) + " " + r.getString(1) + " " + r.getString(2)
            + " after " + r.getInteger(3) + " attempts: " + r.getString(4));
      }
    }

    // 6. the reconciler finds no drift, or only drift it heals
    String recon = reconcile();
    if (recon != null) {
      violations.add(recon);
    }
    return new Verdict(operations, sales, doubleSales, lost, unresolved, violations);
  }

  private String report(String headline, History history, String ref, String pi, long card) {
    StringBuilder b = new StringBuilder(headline);
    List<History.Line> proof = history.about(ref, pi, card);
    for (History.Line l : proof.subList(Math.max(0, proof.size() - 20), proof.size())) {
      b.append("\n    ").append(l);
    }
    if (proof.isEmpty()) {
      b.append("\n    (no history line mentions it: an operation the buyers never saw complete)");
    }
    return b.toString();
  }

  /** A reconciler report at core; when it finds drift, a heal and a second report that must come back clean. */
  private String reconcile() {
    JsonObject first = run("report");
    if (first == null) {
      return "RECONCILER: no finished report run";
    }
    int total = first.getJsonObject("counts", new JsonObject()).getInteger("total", 0);
    if (total == 0) {
      return null;
    }
    run("heal");
    JsonObject again = run("report");
    int left = again == null ? -1 : again.getJsonObject("counts", new JsonObject()).getInteger("total", 0);
    String found = "RECONCILER found drift " + first.getJsonObject("counts");
    return left == 0 ? found + " and healed it (a second report is clean)" : found + "; after heal still " + left
        + ": " + (again == null ? "no run" : again.getJsonObject("counts"));
  }

  private JsonObject run(String mode) {
    NodeProcess core = cluster.nodes(AppName.CORE).stream().filter(NodeProcess::alive).findFirst().orElseThrow();
    String token = cluster.operatorToken(AppName.CORE);
    Api.Answer started = Api.call("POST", cluster.url(core, "/api/reconciler/runs"), token,
        new JsonObject().put("mode", mode).put("graceSeconds", 0).encode(), Duration.ofSeconds(30));
    if (started.status() != 202) {
      out.println("reconciler " + mode + ": " + started.reason() + " " + started.body());
      return null;
    }
    String id = started.json().getString("id");
    long deadline = System.currentTimeMillis() + 120_000;
    while (System.currentTimeMillis() < deadline) {
      JsonObject run = Api.call("GET", cluster.url(core, "/api/reconciler/runs/" + id), token, null,
          Duration.ofSeconds(10)).json();
      if (!"running".equals(run.getString("status")) && run.getString("status") != null) {
        return run;
      }
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
    return null;
  }

  static String cards(Long[] ids) {
    return Arrays.toString(ids);
  }

  @Override
  public void close() {
  }
}
