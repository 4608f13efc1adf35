package io.slabtrack.tot.listings;

import io.slabtrack.cluster.outbox.InboxHandler;
import io.slabtrack.tot.fairness.Fairness;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies core's publish / update / disengage to the listings, in the inbox's transaction (so once per
 * eventId). Stale versions (≤ the last applied for the listingKey) are acknowledged and dropped.
 */
public final class Ingest implements InboxHandler {
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

  private Future<JsonObject> withdraw(SqlConnection tx, IngestMessage m) {
    return tx.preparedQuery(ListingsSql.WITHDRAW).execute(Tuple.of(m.listingKey(), m.version())).map(rows -> {
      Row r = rows.rowCount() == 0 ? null : rows.iterator().next();
      return reply(m, r == null ? null : r.getLong("id"), r == null ? null : r.getString("status"))
          .put("applied", r != null);
    });
  }

  private Future<JsonObject> upsert(SqlConnection tx, IngestMessage m) {
    boolean flip = m.cards().stream().allMatch(c -> flag(c.snapshot(), "flipEligible"));
    boolean pull = m.cards().size() <= 5 && m.cards().stream().allMatch(c -> flag(c.snapshot(), "pullEligible"));
    String players = m.cards().stream().map(c -> str(c.snapshot(), "player")).distinct()
        .collect(Collectors.joining(" | "));
    String search = m.cards().stream().map(Ingest::searchText).collect(Collectors.joining(" | "));
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
      // a sale through ToT is final; a publish relists a withdrawn listing; an update leaves the status alone
      String next = status.equals("COMPLETED") ? status : m.type().equals("publish") ? "ACTIVE" : status;
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
