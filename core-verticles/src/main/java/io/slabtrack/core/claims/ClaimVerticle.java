package io.slabtrack.core.claims;

import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.cluster.bus.BusSenders;
import io.slabtrack.cluster.config.AppName;
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
 * (inbox), decided in the inbox's transaction. Only the selling apps may send them, proven by the service token
 * their relay attaches ({@link BusSenders}), and each only for its own channel; anything else is refused (401/403)
 * and changes nothing. A malformed message is rejected for good (400: dead-lettered).
 */
public final class ClaimVerticle extends VerticleBase {
  private final Pool pool;
  private final ClaimDecider decider;
  private final BusSenders senders;

  public ClaimVerticle(Pool pool, ClaimDecider decider, BusSenders senders) {
    this.pool = pool;
    this.decider = decider;
    this.senders = senders;
  }

  @Override
  public Future<?> start() {
    BusSenders.Check sellingApps = senders.only(AppName.TOT, AppName.STOREFRONT);
    return Future.all(
        Inbox.consume(vertx, pool, Addresses.CORE_SALE_CLAIM, sellingApps, this::claim),
        Inbox.consume(vertx, pool, Addresses.CORE_SALE_RELEASE, sellingApps, this::release));
  }

  private Future<JsonObject> claim(SqlConnection tx, JsonObject body, AppName sender) {
    ClaimRequest claim;
    try {
      claim = ClaimRequest.parse(body);
    } catch (InvalidField e) {
      return Future.failedFuture(new InboxRejection(400, "invalid_field", e.field() + ": " + e.getMessage()));
    }
    return decider.decide(tx, claim, ClaimCaller.app(sender));
  }

  private Future<JsonObject> release(SqlConnection tx, JsonObject body, AppName sender) {
    try {
      ClaimRelease.validate(body);
    } catch (InvalidField e) {
      return Future.failedFuture(new InboxRejection(400, "invalid_field", e.field() + ": " + e.getMessage()));
    }
    return ClaimRelease.release(tx, body, ClaimCaller.app(sender));
  }
}
