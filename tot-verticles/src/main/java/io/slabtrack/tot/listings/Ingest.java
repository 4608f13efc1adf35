package io.slabtrack.tot.listings;

import io.slabtrack.cluster.outbox.InboxBatchHandler;
import io.slabtrack.tot.fairness.Fairness;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies core's publish / update / disengage to the listings, in the inbox's transaction (so once per
 * eventId). Stale versions (≤ the last applied for the listingKey) are acknowledged and dropped. A batch envelope
 * of the bus is applied in a handful of multi-row statements ({@link #applyAll}) with the same rules and replies.
 */
public final class Ingest implements InboxBatchHandler {
  private static final Logger LOG = LoggerFactory.getLogger(Ingest.class);
  private final SpreadPolicy spreads;

  public Ingest(SpreadPolicy spreads) {
    this.spreads = spreads;
  }

  @Override
  public Future<JsonObject> apply(SqlConnection tx, JsonObject body) {
    IngestMessage m = IngestMessage.parse(body);
    return tx.preparedQuery(ListingsSql.ADVANCE_VERSION).execute(Tuple.of(m.listingKey(), m.version()))
        .compose(advanced -> {
          if (advanced.rowCount() == 0) {
            LOG.info("ingest dropped stale {} listingKey={} version={} eventId={}", m.type(), m.listingKey(),
                m.version(), body.getString("eventId"));
            return Future.succeededFuture(reply(m, null, null).put("applied", false).put("reason", "stale_version"));
          }
          return m.disengage() ? withdraw(tx, m) : upsert(tx, m);
        });
  }

  /**
   * The new events of a batch envelope (each of its own listing): versions advanced in one statement, withdrawals in
   * one, new listings, updated listings, their cleared and inserted cards in one each. A malformed event, or two of
   * one listing, fails the batch: the inbox then applies each alone through {@link #apply}.
   */
  @Override
  public Future<List<JsonObject>> applyAll(SqlConnection tx, List<JsonObject> bodies) {
    List<IngestMessage> ms = new ArrayList<>(bodies.size());
    bodies.forEach(b -> ms.add(IngestMessage.parse(b)));
    int n = ms.size();
    String[] keys = new String[n];
    Long[] versions = new Long[n];
    for (int i = 0; i < n; i++) {
      keys[i] = ms.get(i).listingKey();
      versions[i] = ms.get(i).version();
    }
    if (new HashSet<>(List.of(keys)).size() != n) {
      return Future.failedFuture(new IllegalArgumentException("two events of one listing in a batch"));
    }
    return tx.preparedQuery(ListingsSql.ADVANCE_VERSIONS).execute(Tuple.tuple().addArrayOfString(keys).addArrayOfLong(versions)).compose(advanced -> {
      Set<String> fresh = new HashSet<>();
      advanced.forEach(r -> fresh.add(r.getString(0)));
      List<IngestMessage> withdrawals = new ArrayList<>();
      List<IngestMessage> upserts = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        IngestMessage m = ms.get(i);
        if (!fresh.contains(m.listingKey())) {
          LOG.info("ingest dropped stale {} listingKey={} version={} eventId={}", m.type(), m.listingKey(),
              m.version(), bodies.get(i).getString("eventId"));
        } else {
          (m.disengage() ? withdrawals : upserts).add(m);
        }
      }
      Map<String, JsonObject> replies = new HashMap<>();
      return withdrawAll(tx, withdrawals, replies).compose(v -> upsertAll(tx, upserts, replies)).map(v -> {
        List<JsonObject> out = new ArrayList<>(n);
        for (IngestMessage m : ms) {
          JsonObject reply = replies.get(m.listingKey());
          out.add(reply != null ? reply
              : reply(m, null, null).put("applied", false).put("reason", "stale_version"));
        }
        return out;
      });
    });
  }

  private Future<Void> withdrawAll(SqlConnection tx, List<IngestMessage> ms, Map<String, JsonObject> replies) {
    if (ms.isEmpty()) {
      return Future.succeededFuture();
    }
    String[] keys = ms.stream().map(IngestMessage::listingKey).toArray(String[]::new);
    Long[] versions = ms.stream().map(IngestMessage::version).toArray(Long[]::new);
    return tx.preparedQuery(ListingsSql.WITHDRAW_ALL).execute(Tuple.tuple().addArrayOfString(keys).addArrayOfLong(versions)).map(rows -> {
      Map<String, Row> withdrawn = new HashMap<>();
      rows.forEach(r -> withdrawn.put(r.getString("listing_key"), r));
      for (IngestMessage m : ms) {
        Row r = withdrawn.get(m.listingKey());
        replies.put(m.listingKey(), reply(m, r == null ? null : r.getLong("id"), r == null ? null : r.getString("status"))
            .put("applied", r != null));
      }
      return null;
    });
  }

  private Future<Void> upsertAll(SqlConnection tx, List<IngestMessage> ms, Map<String, JsonObject> replies) {
    if (ms.isEmpty()) {
      return Future.succeededFuture();
    }
    String[] keys = ms.stream().map(IngestMessage::listingKey).toArray(String[]::new);
    return tx.preparedQuery(ListingsSql.LOCK_BY_KEYS).execute(Tuple.of((Object) keys)).compose(locked -> {
      Map<String, Row> existing = new HashMap<>();
      locked.forEach(r -> existing.put(r.getString("listing_key"), r));
      Columns inserts = new Columns();
      Columns updates = new Columns();
      BigDecimal spread = spreads.defaultSpread();
      for (IngestMessage m : ms) {
        Derived d = Derived.of(m);
        Row row = existing.get(m.listingKey());
        if (row == null) {
          inserts.add(m, d, null, null, spread);
        } else {
          updates.add(m, d, row.getLong("id"), nextStatus(row.getString("status"), m), row.getBigDecimal("spread"));
        }
      }
      Map<String, Long> ids = new HashMap<>();
      Future<Void> inserted = inserts.isEmpty() ? Future.succeededFuture()
          : tx.preparedQuery(ListingsSql.INSERT_ALL).execute(inserts.insertArgs(spread)).map(rows -> {
            rows.forEach(r -> record(r, ms, ids, replies));
            return null;
          });
      return inserted.compose(v -> updates.isEmpty() ? Future.<Void>succeededFuture()
              : tx.preparedQuery(ListingsSql.UPDATE_ALL).execute(updates.updateArgs()).map(rows -> {
                rows.forEach(r -> record(r, ms, ids, replies));
                return (Void) null;
              }))
          .compose(v -> updates.isEmpty() ? Future.<Void>succeededFuture()
              : tx.preparedQuery(ListingsSql.CLEAR_CARDS_ALL).execute(Tuple.of((Object) updates.ids())).mapEmpty())
          .compose(v -> {
            if (ids.size() != ms.size()) {
              // a listing that vanished or appeared under us: the single path decides it
              return Future.failedFuture(new IllegalStateException("listings changed under the batch"));
            }
            List<Long> listingIds = new ArrayList<>();
            List<Long> cardIds = new ArrayList<>();
            List<Long> cardVersions = new ArrayList<>();
            List<Long> prices = new ArrayList<>();
            List<JsonObject> snapshots = new ArrayList<>();
            for (IngestMessage m : ms) {
              for (IngestMessage.CardEntry c : m.cards()) {
                listingIds.add(ids.get(m.listingKey()));
                cardIds.add(c.id());
                cardVersions.add(c.version());
                prices.add(c.price());
                snapshots.add(c.snapshot());
              }
            }
            return tx.preparedQuery(ListingsSql.INSERT_CARDS_ALL).execute(Tuple.tuple()
                .addArrayOfLong(listingIds.toArray(new Long[0])).addArrayOfLong(cardIds.toArray(new Long[0]))
                .addArrayOfLong(cardVersions.toArray(new Long[0])).addArrayOfLong(prices.toArray(new Long[0]))
                .addArrayOfJsonObject(snapshots.toArray(new JsonObject[0]))).mapEmpty();
          });
    });
  }

  private static void record(Row r, List<IngestMessage> ms, Map<String, Long> ids, Map<String, JsonObject> replies) {
    String key = r.getString("listing_key");
    ids.put(key, r.getLong("id"));
    for (IngestMessage m : ms) {
      if (m.listingKey().equals(key)) {
        replies.put(key, reply(m, r.getLong("id"), r.getString("status")).put("applied", true));
        return;
      }
    }
  }

  /** The column arrays of a multi-row insert or update of listings. */
  private static final class Columns {
    final List<Long> ids = new ArrayList<>();
    final List<String> keys = new ArrayList<>();
    final List<String> kinds = new ArrayList<>();
    final List<String> statuses = new ArrayList<>();
    final List<Long> versions = new ArrayList<>();
    final List<Long> values = new ArrayList<>();
    final List<Long> wins = new ArrayList<>();
    final List<Long> loses = new ArrayList<>();
    final List<Boolean> flips = new ArrayList<>();
    final List<Boolean> pulls = new ArrayList<>();
    final List<String> searches = new ArrayList<>();
    final List<String> players = new ArrayList<>();

    void add(IngestMessage m, Derived d, Long id, String status, BigDecimal spread) {
      ids.add(id);
      keys.add(m.listingKey());
      kinds.add(m.kind());
      statuses.add(status);
      versions.add(m.version());
      values.add(m.price());
      wins.add(Fairness.winPrice(m.price(), spread));
      loses.add(Fairness.losePrice(m.price(), spread));
      flips.add(d.flip());
      pulls.add(d.pull());
      searches.add(d.search());
      players.add(d.players());
    }

    boolean isEmpty() {
      return keys.isEmpty();
    }

    Long[] ids() {
      return ids.toArray(new Long[0]);
    }

    Tuple insertArgs(BigDecimal spread) {
      return Tuple.tuple().addArrayOfString(keys.toArray(new String[0])).addArrayOfString(kinds.toArray(new String[0]))
          .addArrayOfLong(versions.toArray(new Long[0])).addArrayOfLong(values.toArray(new Long[0]))
          .addArrayOfLong(wins.toArray(new Long[0])).addArrayOfLong(loses.toArray(new Long[0]))
          .addArrayOfBoolean(flips.toArray(new Boolean[0])).addArrayOfBoolean(pulls.toArray(new Boolean[0]))
          .addArrayOfString(searches.toArray(new String[0])).addArrayOfString(players.toArray(new String[0]))
          .addBigDecimal(spread);
    }

    Tuple updateArgs() {
      return Tuple.tuple().addArrayOfLong(ids()).addArrayOfString(kinds.toArray(new String[0]))
          .addArrayOfString(statuses.toArray(new String[0])).addArrayOfLong(versions.toArray(new Long[0]))
          .addArrayOfLong(values.toArray(new Long[0])).addArrayOfLong(wins.toArray(new Long[0]))
          .addArrayOfLong(loses.toArray(new Long[0])).addArrayOfBoolean(flips.toArray(new Boolean[0]))
          .addArrayOfBoolean(pulls.toArray(new Boolean[0])).addArrayOfString(searches.toArray(new String[0]))
          .addArrayOfString(players.toArray(new String[0]));
    }
  }

  private Future<JsonObject> withdraw(SqlConnection tx, IngestMessage m) {
    return tx.preparedQuery(ListingsSql.WITHDRAW).execute(Tuple.of(m.listingKey(), m.version())).map(rows -> {
      Row r = rows.rowCount() == 0 ? null : rows.iterator().next();
      return reply(m, r == null ? null : r.getLong("id"), r == null ? null : r.getString("status"))
          .put("applied", r != null);
    });
  }

  /** What a listing shows of its cards: eligibility for flips and pulls, and the text it is found by. */
  private record Derived(boolean flip, boolean pull, String players, String search) {
    static Derived of(IngestMessage m) {
      boolean flip = m.cards().stream().allMatch(c -> flag(c.snapshot(), "flipEligible"));
      boolean pull = m.cards().size() <= 5 && m.cards().stream().allMatch(c -> flag(c.snapshot(), "pullEligible"));
      String players = m.cards().stream().map(c -> str(c.snapshot(), "player")).distinct()
          .collect(Collectors.joining(" | "));
      String search = m.cards().stream().map(Ingest::searchText).collect(Collectors.joining(" | "));
      return new Derived(flip, pull, players, search);
    }
  }

  /** A sale through ToT is final; a publish relists a withdrawn listing; an update leaves the status alone. */
  private static String nextStatus(String status, IngestMessage m) {
    return status.equals("COMPLETED") ? status : m.type().equals("publish") ? "ACTIVE" : status;
  }

  private Future<JsonObject> upsert(SqlConnection tx, IngestMessage m) {
    Derived d = Derived.of(m);
    boolean flip = d.flip();
    boolean pull = d.pull();
    String players = d.players();
    String search = d.search();
    return tx.preparedQuery(ListingsSql.LOCK_BY_KEY).execute(Tuple.of(m.listingKey())).compose(existing -> {
      if (existing.rowCount() == 0) {
        BigDecimal spread = spreads.defaultSpread();
        return tx.preparedQuery(ListingsSql.INSERT).execute(Tuple.from(List.of(m.listingKey(), m.kind(), m.version(),
            m.price(), spread, Fairness.winPrice(m.price(), spread), Fairness.losePrice(m.price(), spread), flip, pull,
            search, players)));
      }
      Row row = existing.iterator().next();
      BigDecimal spread = row.getBigDecimal("spread");
      String status = row.getString("status");
      String next = nextStatus(status, m);
      return tx.preparedQuery(ListingsSql.UPDATE).execute(Tuple.from(List.of(row.getLong("id"), m.kind(), next,
          m.version(), m.price(), Fairness.winPrice(m.price(), spread), Fairness.losePrice(m.price(), spread), flip,
          pull, search, players)));
    }).compose(rows -> {
      Row r = rows.iterator().next();
      long id = r.getLong("id");
      List<Tuple> cards = new ArrayList<>();
      for (IngestMessage.CardEntry c : m.cards()) {
        cards.add(Tuple.of(id, c.id(), c.version(), c.price(), c.snapshot()));
      }
      return tx.preparedQuery(ListingsSql.CLEAR_CARDS).execute(Tuple.of(id))
          .compose(x -> tx.preparedQuery(ListingsSql.INSERT_CARD).executeBatch(cards))
          .map(x -> reply(m, id, r.getString("status")).put("applied", true));
    });
  }

  private static boolean flag(JsonObject snapshot, String field) {
    Object v = snapshot.getValue(field);
    return !(v instanceof Boolean b) || b; // core's columns default to true; absent means eligible
  }

  private static String searchText(IngestMessage.CardEntry c) {
    JsonObject s = c.snapshot();
    return List.of("player", "year", "setName", "cardNumber", "parallel", "gradingCompany", "grade", "certNumber")
        .stream().map(f -> str(s, f)).filter(v -> !v.isEmpty()).collect(Collectors.joining(" "));
  }

  private static String str(JsonObject o, String field) {
    Object v = o.getValue(field);
    return v == null ? "" : String.valueOf(v);
  }

  private static JsonObject reply(IngestMessage m, Long listingId, String status) {
    return new JsonObject().put("listingKey", m.listingKey()).put("version", m.version()).put("listingId", listingId)
        .put("status", status);
  }
}
