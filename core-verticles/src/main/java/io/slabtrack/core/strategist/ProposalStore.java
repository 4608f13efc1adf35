package io.slabtrack.core.strategist;

import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * The {@code proposals} table (V26): stores a proposal, edits an open one under a row lock, and claims one for its
 * commit inside the commit's transaction: open → committed, and every other open proposal holding one of the committed
 * cards → stale (it was built from a portfolio that has just changed; proposals over other cards stay open).
 */
public final class ProposalStore {
  /** Everything but the document, which a write already holds (a 10,000-card document is megabytes to decode). */
  private static final String META = "id, status, created_at, committed_at";
  /** The document comes encoded ($3 text): PostgreSQL parses it, the event loop doesn't encode it. */
  private static final String INSERT =
      "INSERT INTO proposals (id, tool, document, created_by, created_at) VALUES ($1, $2, $3::text::json, $4, $5)";
  private static final String GET = "SELECT * FROM proposals WHERE id = $1 AND tool = $2";
  private static final String LOCK = "SELECT * FROM proposals WHERE id = $1 AND tool = $2 FOR UPDATE";
  private static final String UPDATE =
      "UPDATE proposals SET document = $2, updated_at = now() WHERE id = $1 RETURNING " + META;
  private static final String CLAIM = """
      UPDATE proposals SET status = 'committed', committed_at = now(), updated_at = now()
      WHERE id = $1 AND tool = $2 AND status = 'open' RETURNING id""";
  /** A proposal is kept 30 days: long enough to look back at, and its cards' channels keep what it did. */
  private static final String FORGET_OLD = "DELETE FROM proposals WHERE created_at < now() - interval '30 days'";

  /** Other open proposals holding any of the committed cards ($2) were built from a portfolio that just changed. */
  private static final String STALE_OTHERS = """
      UPDATE proposals p SET status = 'stale', updated_at = now()
      WHERE p.status = 'open' AND p.id <> $1 AND EXISTS (
        SELECT 1 FROM json_array_elements(p.document -> 'cards') e WHERE (e ->> 'cardId')::bigint = ANY($2))""";

  /** One stored proposal. */
  public record Stored(UUID id, String status, JsonObject document, OffsetDateTime createdAt,
                       OffsetDateTime committedAt) {
    public JsonObject view() {
      return ProposalView.of(id.toString(), status, createdAt.toInstant().toString(),
          committedAt == null ? null : committedAt.toInstant().toString(), document);
    }
  }

  private final Pool pool;
  private final String tool;

  public ProposalStore(Pool pool, String tool) {
    this.pool = pool;
    this.tool = tool;
  }

  /** Stores a new proposal and forgets those older than 30 days (at up to megabytes each, they would pile up). */
  public Future<Void> create(ProposalBuilder.Built built, String createdBy) {
    return pool.preparedQuery(INSERT).execute(Tuple.of(built.id(), tool, built.document(), createdBy,
            built.createdAt().atOffset(java.time.ZoneOffset.UTC)))
        .compose(x -> pool.query(FORGET_OLD).execute()).mapEmpty();
  }

  public Future<Stored> get(UUID id) {
    return pool.preparedQuery(GET).execute(Tuple.of(id, tool)).compose(rows -> rows.size() == 0
        ? Future.failedFuture(notFound(id)) : Future.succeededFuture(stored(rows.iterator().next())));
  }

  /** Applies {@code edit} to an open proposal's document under its row lock (409 once committed or stale). */
  public Future<Stored> edit(UUID id, UnaryOperator<JsonObject> edit) {
    return pool.withTransaction(tx -> tx.preparedQuery(LOCK).execute(Tuple.of(id, tool)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.failedFuture(notFound(id));
      }
      Stored s = stored(rows.iterator().next());
      if (!"open".equals(s.status())) {
        return Future.failedFuture(notOpen(id, s.status()));
      }
      JsonObject edited = edit.apply(s.document());
      return tx.preparedQuery(UPDATE).execute(Tuple.of(id, edited)).map(r -> stored(r.iterator().next(), edited));
    }));
  }

  /**
   * Inside a commit's transaction: marks the proposal committed and the other open ones sharing a committed card
   * stale, or fails (409 once committed or stale, 404).
   */
  public Future<Void> claim(SqlConnection tx, UUID id, java.util.List<Long> committedCards) {
    return tx.preparedQuery(CLAIM).execute(Tuple.of(id, tool)).compose(rows -> {
      if (rows.rowCount() == 1) {
        return tx.preparedQuery(STALE_OTHERS).execute(Tuple.of(id, (Object) committedCards.toArray(new Long[0]))).mapEmpty();
      }
      return tx.preparedQuery(GET).execute(Tuple.of(id, tool)).compose(r -> Future.failedFuture(r.size() == 0
          ? notFound(id) : notOpen(id, r.iterator().next().getString("status"))));
    });
  }

  private static ApiException notOpen(UUID id, String status) {
    return "committed".equals(status)
        ? ApiErrors.conflict("proposal_committed", "Proposal " + id + " is already committed")
        : ApiErrors.conflict("proposal_stale", "Proposal " + id + " is stale: another proposal was committed after"
            + " it was built; build a new one");
  }

  private static ApiException notFound(UUID id) {
    return new ApiException(404, "not_found", "Proposal " + id + " not found", new JsonObject().put("proposalId",
        id.toString()));
  }

  private static Stored stored(Row r) {
    Object doc = r.getValue("document");
    return stored(r, doc instanceof JsonObject j ? j : new JsonObject(doc.toString()));
  }

  private static Stored stored(Row r, JsonObject document) {
    return new Stored(r.getUUID("id"), r.getString("status"), document, r.getOffsetDateTime("created_at"),
        r.getOffsetDateTime("committed_at"));
  }
}
