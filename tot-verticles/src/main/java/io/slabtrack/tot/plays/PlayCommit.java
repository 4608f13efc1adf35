package io.slabtrack.tot.plays;

import io.slabtrack.cluster.logging.Correlation;
import com.stripe.param.PaymentIntentCancelParams;
import com.stripe.param.PaymentIntentCreateParams;
import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.http.ApiException;
import io.slabtrack.cluster.salelock.AcquireRequest;
import io.slabtrack.cluster.salelock.SaleLocks;
import io.slabtrack.cluster.stripe.StripeGateway;
import io.slabtrack.tot.fairness.Fairness;
import io.slabtrack.tot.fairness.SeedVault;
import io.slabtrack.tot.listings.SpreadPolicy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits a play: rules, sale-locks on every card involved, a sealed server seed and its hash, a manual-capture
 * PaymentIntent for the maximum, then the row. A failure after the locks gives them back (and cancels the
 * PaymentIntent when it exists), so a refused play leaves nothing held and nothing charged.
 *
 * <p>No step holds a database connection while it waits for another one, for the sale-locks or for Stripe: each
 * query borrows a connection for itself, and only the final insert is a (short) transaction. An Idempotency-Key is
 * claimed up front in its own statement ({@link PlayKeys}).
 */
public final class PlayCommit {
  public static final String CHANNEL = "thisorthat";
  static final Duration LOCK_TTL = Duration.ofMinutes(10);
  private static final Logger LOG = LoggerFactory.getLogger(PlayCommit.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Pool pool;
  private final PlayKeys keys;
  private final SaleLocks locks;
  private final StripeGateway stripe;
  private final SeedVault vault;
  private final SeedAnchor anchor;
  private final SpreadPolicy spreads;

  public PlayCommit(Vertx vertx, Pool pool, SaleLocks locks, StripeGateway stripe, SeedVault vault, SeedAnchor anchor,
                    SpreadPolicy spreads) {
    this.pool = pool;
    this.keys = new PlayKeys(vertx, pool);
    this.locks = locks;
    this.stripe = stripe;
    this.vault = vault;
    this.anchor = anchor;
    this.spreads = spreads;
  }

  /** @return the commit answer and whether it was created now (201) or replayed from the Idempotency-Key */
  public Future<JsonObject> commit(String game, PlayRequest request, String idempotencyKey) {
    String requestHash = sha256(game + "|" + request.toJson().encode());
    if (idempotencyKey == null) {
      return fresh(game, request, null, requestHash);
    }
    return keyed(game, request, idempotencyKey, requestHash, System.nanoTime() + PlayKeys.WAIT.toNanos());
  }

  /**
   * The stored answer, or this attempt claims the key, or (a double click) it waits for the attempt that holds it
   * and then answers with that play, instead of a 409 from the sale-locks the first one holds.
   */
  private Future<JsonObject> keyed(String game, PlayRequest request, String key, String requestHash, long deadline) {
    return keys.stored(key).compose(stored -> stored != null ? replay(stored, requestHash)
        : keys.claim(key, requestHash).compose(claim -> claim != null
            ? fresh(game, request, claim, requestHash)
            .recover(t -> keys.release(claim).transform(x -> Future.<JsonObject>failedFuture(t)))
            : keys.awaitOther(key, requestHash, deadline)
                .compose(x -> keyed(game, request, key, requestHash, deadline))));
  }

  static ApiException keyReused() {
    return ApiErrors.conflict("idempotency_key_reused", "This Idempotency-Key was used for a different play");
  }

  private Future<JsonObject> replay(Row row, String requestHash) {
    if (!row.getString("request_hash").equals(requestHash)) {
      return Future.failedFuture(keyReused());
    }
    return Future.succeededFuture(PlayJson.committed(row));
  }

  private Future<JsonObject> fresh(String game, PlayRequest request, PlayKeys.Claim claim, String requestHash) {
    Long[] ids = request.listingIds().toArray(new Long[0]);
    return pool.preparedQuery(PlaysSql.OPTIONS).execute(Tuple.of((Object) ids)).compose(rows -> {
      List<PlayRules.Option> options = new ArrayList<>();
      for (Row r : rows) {
        List<Long> cards = List.of(r.getArrayOfLongs("card_ids"));
        options.add(new PlayRules.Option(r.getLong("id"), r.getString("status"), r.getLong("card_value"),
            r.getBigDecimal("spread"), r.getBoolean("flip_eligible"), r.getBoolean("pull_eligible"), cards));
      }
      PlayRules.Priced priced = game.equals("FLIP") ? PlayRules.flip(request.listingIds(), options, spreads)
          : PlayRules.pull(request.listingIds(), options);
      return lockAndCharge(priced, request, claim, requestHash);
    });
  }

  private Future<JsonObject> lockAndCharge(PlayRules.Priced priced, PlayRequest request, PlayKeys.Claim claim,
                                           String requestHash) {
    String idempotencyKey = claim == null ? null : claim.key();
    String playId = "play_" + token(16);
    Correlation.put(Correlation.PLAY_ID, playId);
    String lockRef = "tot-" + token(18);
    List<Long> cardIds = priced.options().stream().flatMap(o -> o.cardIds().stream()).sorted().toList();
    Duration ttl = LOCK_TTL.compareTo(locks.settings().maxTtl()) > 0 ? locks.settings().maxTtl() : LOCK_TTL;
    AcquireRequest acquire = AcquireRequest.of(cardIds, CHANNEL, lockRef, playId, ttl, locks.settings().maxTtl());
    byte[] seed = vault.newSeed();
    String seedHash = Fairness.seedHash(seed);
    return locks.acquire(acquire)
        .compose(held -> stripe.createPaymentIntent(intent(playId, priced), "tot-play-" + playId)
            .recover(t -> locks.release(lockRef).transform(x -> Future.failedFuture(t))))
        .compose(pi -> anchor.anchor(playId, seedHash)
            .compose(anchoredAt -> store(claim, Tuple.from(new Object[] {
                playId, priced.game(), idempotencyKey, requestHash, lockRef, request.listingIds().toArray(new Long[0]),
                options(priced), cardIds.toArray(new Long[0]), request.email(), request.shippingAddress(),
                priced.cardValue(), priced.spread(), priced.winPrice(), priced.losePrice(), priced.pullPrice(),
                priced.amount(), seedHash, vault.seal(seed, playId), anchor.kind(),
                anchoredAt.atOffset(java.time.ZoneOffset.UTC), pi.getId(), pi.getClientSecret()})))
            .compose(rows -> {
              if (rows.rowCount() == 1) {
                LOG.info("play committed playId={} game={} amount={} cards={} pi={}", playId, priced.game(),
                    priced.amount(), cardIds, pi.getId());
                return Future.succeededFuture(PlayJson.committed(rows.iterator().next()));
              }
              // a concurrent retry with the same Idempotency-Key won the insert: undo ours, answer with its play
              return undo(playId, pi.getId(), lockRef)
                  .compose(x -> pool.preparedQuery(PlaysSql.BY_IDEMPOTENCY_KEY).execute(Tuple.of(idempotencyKey)))
                  .compose(existing -> replay(existing.iterator().next(), requestHash));
            }, t -> undo(playId, pi.getId(), lockRef).transform(x -> Future.failedFuture(t))));
  }

  /** The play's row and the end of its key's claim, together: from then on the row answers retries. */
  private Future<RowSet<Row>> store(PlayKeys.Claim claim, Tuple play) {
    return pool.withTransaction(tx -> tx.preparedQuery(PlaysSql.INSERT).execute(play)
        .compose(rows -> keys.release(tx, claim).map(rows)));
  }

  private Future<Void> undo(String playId, String paymentIntentId, String lockRef) {
    return stripe.cancelPaymentIntent(paymentIntentId, PaymentIntentCancelParams.CancellationReason.ABANDONED,
            "tot-cancel-" + playId)
        .transform(x -> {
          if (x.failed()) {
            LOG.warn("play undo: cancel failed playId={} pi={}: {}", playId, paymentIntentId, x.cause().toString());
          }
          return locks.release(lockRef);
        }).mapEmpty();
  }

  private static PaymentIntentCreateParams intent(String playId, PlayRules.Priced priced) {
    return PaymentIntentCreateParams.builder()
        .setAmount(priced.amount())
        .setCurrency("usd")
        .setCaptureMethod(PaymentIntentCreateParams.CaptureMethod.MANUAL)
        .addPaymentMethodType("card")
        .setDescription("ThisOrThat " + priced.game().toLowerCase() + " " + playId)
        .putMetadata("app", "tot")
        .putMetadata("playId", playId)
        .build();
  }

  private static JsonArray options(PlayRules.Priced priced) {
    JsonArray out = new JsonArray();
    for (PlayRules.Option o : priced.options()) {
      out.add(new JsonObject().put("listingId", o.listingId()).put("cardValue", o.cardValue())
          .put("cardIds", new JsonArray(o.cardIds())));
    }
    return out;
  }

  static String token(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
