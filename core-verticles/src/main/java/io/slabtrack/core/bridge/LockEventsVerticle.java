package io.slabtrack.core.bridge;

import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.cluster.outbox.Inbox;
import io.slabtrack.cluster.outbox.InboxRejection;
import io.slabtrack.cluster.salelock.SaleLock;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sale-lock events for the conflict log: expiries announced by the sweeper on {@code core.salelock.expired}
 * (repeated until acknowledged, so recorded once per eventId through the inbox) and force-releases by an operator
 * on this core node.
 */
public final class LockEventsVerticle extends VerticleBase {
  public static final String LOCK_EXPIRED = "lock_expired";
  public static final String LOCK_FORCE_RELEASED = "lock_force_released";
  private static final Logger LOG = LoggerFactory.getLogger(LockEventsVerticle.class);

  private final Pool pool;

  public LockEventsVerticle(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<?> start() {
    return Inbox.consume(vertx, pool, Addresses.CORE_SALELOCK_EXPIRED, this::expired);
  }

  private Future<JsonObject> expired(SqlConnection tx, JsonObject notice) {
    Object raw = notice.getValue("cardIds");
    if (!(raw instanceof JsonArray ids) || !ids.stream().allMatch(o -> o instanceof Number)) {
      return Future.failedFuture(new InboxRejection(400, "invalid_notice", "cardIds must be an array of card ids"));
    }
    List<Long> cardIds = new ArrayList<>();
    ids.forEach(o -> cardIds.add(((Number) o).longValue()));
    JsonObject detail = new JsonObject().put("lockRef", notice.getString("lockRef"))
        .put("orderRef", notice.getString("orderRef")).put("expiredAt", notice.getString("expiredAt"));
    return ConflictLog.recordEach(tx, LOCK_EXPIRED, cardIds, notice.getString("channel"), detail)
        .map(x -> new JsonObject().put("recorded", cardIds.size()));
  }

  /** Registered as the lock service's force-release listener on core nodes. */
  public static void forceReleased(Pool pool, SaleLock lock, String operatorId) {
    JsonObject detail = new JsonObject().put("lockRef", lock.lockRef()).put("orderRef", lock.orderRef())
        .put("operator", operatorId).put("expiresAt", lock.expiresAt().toString());
    pool.withTransaction(tx -> ConflictLog.record(tx, LOCK_FORCE_RELEASED, lock.cardId(), lock.channel(), detail))
        .onFailure(t -> LOG.warn("could not log force-release of cardId={} lockRef={}: {}", lock.cardId(),
            lock.lockRef(), t.toString()));
  }
}
