package io.slabtrack.core.claims;

import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.cluster.outbox.Inbox;
import io.slabtrack.cluster.outbox.InboxRejection;
import io.slabtrack.core.cards.InvalidField;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;

/**
 * Sale claims and releases arriving over the bus through the channels' outboxes: each applied once per eventId
 * (inbox), decided in the inbox's transaction. A malformed message is rejected for good (400: dead-lettered).
 */
public final class ClaimVerticle extends VerticleBase {
  private final Pool pool;
  private final ClaimDecider decider;

  public ClaimVerticle(Pool pool, ClaimDecider decider) {
    this.pool = pool;
    this.decider = decider;
  }

  @Override
  public Future<?> start() {
    return Future.all(
        Inbox.consume(vertx, pool, Addresses.CORE_SALE_CLAIM, this::claim),
        Inbox.consume(vertx, pool, Addresses.CORE_SALE_RELEASE, this::release));
  }

  private Future<JsonObject> claim(SqlConnection tx, JsonObject body) {
    ClaimRequest claim;
    try {
      claim = ClaimRequest.parse(body);
    } catch (InvalidField e) {
      return Future.failedFuture(new InboxRejection(400, "invalid_field", e.field() + ": " + e.getMessage()));
    }
    return decider.decide(tx, claim);
  }

  private Future<JsonObject> release(SqlConnection tx, JsonObject body) {
    try {
      ClaimRelease.validate(body);
    } catch (InvalidField e) {
      return Future.failedFuture(new InboxRejection(400, "invalid_field", e.field() + ": " + e.getMessage()));
    }
    return ClaimRelease.release(tx, body);
  }
}
