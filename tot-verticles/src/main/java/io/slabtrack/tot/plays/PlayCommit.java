package io.slabtrack.tot.plays;

import io.slabtrack.cluster.settlement.Authorizations;
import io.slabtrack.cluster.logging.Correlation;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.checkout.SessionCreateParams;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.http.ApiException;
import io.slabtrack.cluster.metrics.PurchaseMetrics;
import io.slabtrack.cluster.limits.BuyerHold;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits a play: rules, sale-locks on every card involved, a sealed server seed and its hash, the payment for the
 * maximum (a manual-capture PaymentIntent, or a hosted Checkout Session in manual-capture mode: {@link
 * PlayRequest.PaymentMode}), then the row. A failure after the locks gives them back (and cancels the PaymentIntent
 * or expires the session when it exists), so a refused play leaves nothing held and nothing charged.
 *
 * <p>No step holds a database connection while it waits for another one, for the sale-locks or for Stripe: each
 * query borrows a connection for itself, and only the final insert is a (short) transaction. An Idempotency-Key is
 * claimed up front in its own statement ({@link PlayKeys}).
 */
public final class PlayCommit {
  public static final String CHANNEL = "thisorthat";
  static final Duration LOCK_TTL = Duration.ofMinutes(10);
  /**
   * Stripe's shortest session lifetime is 30 minutes, longer than the sale-locks: as in the Storefront, the lock
   * expiry expires the session ({@code Settlement.lockExpired}), so the buyer can't pay for cards no longer held.
   */
  public static final Duration SESSION_LIFETIME = Duration.ofMinutes(31);
  /** The buyer's play page (served by ToT's pages), where the hosted payment page leads back to. */
  public static final String PLAY_PAGE = "/play/";
  private static final Logger LOG = LoggerFactory.getLogger(PlayCommit.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Pool pool;
  private final PlayKeys keys;
  private final SaleLocks locks;
  private final StripeGateway stripe;
  private final SeedVault vault;
  private final SeedAnchor anchor;
  private final SpreadPolicy spreads;
  private final String publicUrl;
  private final PurchaseMetrics metrics;

  /** @param publicUrl where buyers reach ToT ({@code TOT_PUBLIC_URL}): the hosted page's way back */
  public PlayCommit(Vertx vertx, Pool pool, SaleLocks locks, StripeGateway stripe, SeedVault vault, SeedAnchor anchor,
                    SpreadPolicy spreads, String publicUrl) {
    this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    this.pool = pool;
    this.keys = new PlayKeys(vertx, pool);
    this.locks = locks;
    this.stripe = stripe;
    this.vault = vault;
    this.anchor = anchor;
    this.spreads = spreads;
    this.metrics = PurchaseMetrics.of(vertx, AppName.TOT);
  }

  /** @return the commit answer and whether it was created now (201) or replayed from the Idempotency-Key */
  public Future<JsonObject> commit(String game, PlayRequest request, String idempotencyKey, BuyerHold hold) {
    String requestHash = sha256(game + "|" + request.toJson().encode());
    if (idempotencyKey == null) {
      return fresh(game, request, null, requestHash, hold);
    }
    return keyed(game, request, idempotencyKey, requestHash, System.nanoTime() + PlayKeys.WAIT.toNanos(), hold);
  }

  /**
   * The stored answer, or this attempt claims the key, or (a double click) it waits for the attempt that holds it
   * and then answers with that play, instead of a 409 from the sale-locks the first one holds.
   */
  private Future<JsonObject> keyed(String game, PlayRequest request, String key, String requestHash, long deadline,
                                   BuyerHold hold) {
    return keys.stored(key).compose(stored -> stored != null ? replay(stored, requestHash)
        : keys.claim(key, requestHash).compose(claim -> claim != null
            ? claimed(game, request, claim, requestHash, hold)
            : keys.awaitOther(key, requestHash, deadline)
                .compose(x -> keyed(game, request, key, requestHash, deadline, hold))));
  }

  /**
   * Looks once more after claiming: the attempt that held the key may have stored its play (and dropped its claim)
   * between this attempt's first look and its claim.
   */
  private Future<JsonObject> claimed(String game, PlayRequest request, PlayKeys.Claim claim, String requestHash,
                                     BuyerHold hold) {
    return keys.stored(claim.key()).compose(stored -> stored != null
        ? keys.release(claim).compose(x -> replay(stored, requestHash))
        : fresh(game, request, claim, requestHash, hold)
            .recover(t -> keys.release(claim).transform(x -> Future.<JsonObject>failedFuture(t))));
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

  private Future<JsonObject> fresh(String game, PlayRequest request, PlayKeys.Claim claim, String requestHash,
                                   BuyerHold hold) {
    return freshUncounted(game, request, claim, requestHash, hold)
        .onSuccess(x -> metrics.started(PurchaseMetrics.PLAY, "created"))
        .onFailure(e -> metrics.startFailed(PurchaseMetrics.PLAY, e));
  }

  private Future<JsonObject> freshUncounted(String game, PlayRequest request, PlayKeys.Claim claim,
                                            String requestHash, BuyerHold hold) {
    if (stripe.saturated()) {
      return Future.failedFuture(StripeGateway.busy()); // before anything is locked: a saturated Stripe changes nothing
    }
    Long[] ids = request.listingIds().toArray(new Long[0]);
    return pool.preparedQuery(PlaysSql.OPTIONS).execute(Tuple.of((Object) ids)).compose(rows -> {
      List<PlayRules.Option> options = new ArrayList<>();
      Map<Long, List<String>> titles = new HashMap<>();
      for (Row r : rows) {
        titles.put(r.getLong("id"), List.of(r.getArrayOfStrings("card_titles")));
        options.add(PlayQuote.option(r)); // the same rule inputs the pages quote from
      }
      PlayRules.Priced priced = game.equals("FLIP") ? PlayRules.flip(request.listingIds(), options, spreads)
          : PlayRules.pull(request.listingIds(), options);
      List<String> cardTitles = priced.options().stream()
          .flatMap(o -> titles.getOrDefault(o.listingId(), List.of()).stream()).toList();
      return lockAndCharge(priced, request, claim, requestHash, cardTitles, hold);
    });
  }

  /** What the buyer pays with, once created at Stripe: exactly one of the two is set. */
  private record Payment(String paymentIntentId, String clientSecret, String sessionId, String checkoutUrl) {
  }

  private Future<JsonObject> lockAndCharge(PlayRules.Priced priced, PlayRequest request, PlayKeys.Claim claim,
                                           String requestHash, List<String> cardTitles, BuyerHold hold) {
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
        .compose(held -> pay(playId, priced, request, cardTitles)
            .recover(t -> locks.release(lockRef).transform(x -> Future.failedFuture(t))))
        .compose(pay -> anchor.anchor(playId, seedHash)
            .compose(anchoredAt -> store(claim, hold.addTo(Tuple.from(new Object[] {
                playId, priced.game(), idempotencyKey, requestHash, lockRef, request.listingIds().toArray(new Long[0]),
                options(priced), cardIds.toArray(new Long[0]), request.email(), request.shippingAddress(),
                priced.cardValue(), priced.spread(), priced.winPrice(), priced.losePrice(), priced.pullPrice(),
                priced.amount(), seedHash, vault.seal(seed, playId), anchor.kind(),
                anchoredAt.atOffset(java.time.ZoneOffset.UTC), pay.paymentIntentId(), pay.clientSecret(),
                request.payment().json(), pay.sessionId(), pay.checkoutUrl()}))))
            .compose(rows -> {
              if (rows.rowCount() == 1) {
                LOG.info("play committed playId={} game={} amount={} cards={} pi={} session={}", playId,
                    priced.game(), priced.amount(), cardIds, pay.paymentIntentId(), pay.sessionId());
                return Future.succeededFuture(PlayJson.committed(rows.iterator().next()));
              }
              // a concurrent retry with the same Idempotency-Key won the insert: undo ours, answer with its play
              return undo(playId, pay, lockRef)
                  .compose(x -> pool.preparedQuery(PlaysSql.BY_IDEMPOTENCY_KEY).execute(Tuple.of(idempotencyKey)))
                  .compose(existing -> replay(existing.iterator().next(), requestHash));
            }, t -> undo(playId, pay, lockRef).transform(x -> Future.failedFuture(t))));
  }

  /** Stripe's side of the play, created only once its cards are locked. */
  private Future<Payment> pay(String playId, PlayRules.Priced priced, PlayRequest request, List<String> cardTitles) {
    if (request.payment() == PlayRequest.PaymentMode.CHECKOUT) {
      return stripe.createCheckoutSession(session(playId, priced, request, cardTitles), "tot-checkout-" + playId)
          .map(s -> new Payment(null, null, s.getId(), s.getUrl()));
    }
    return stripe.createPaymentIntent(intent(playId, priced), "tot-play-" + playId)
        .map(pi -> new Payment(pi.getId(), pi.getClientSecret(), null, null));
  }

  /**
   * The play's row (with its buyer hold, parameters $26..$29) and the end of its key's claim, together: from then on
   * the row answers retries.
   */
  private Future<RowSet<Row>> store(PlayKeys.Claim claim, Tuple play) {
    return pool.withTransaction(tx -> tx.preparedQuery(PlaysSql.INSERT).execute(play)
        .compose(rows -> keys.release(tx, claim).map(rows)));
  }

  private Future<Void> undo(String playId, Payment pay, String lockRef) {
    Future<?> closed = pay.sessionId() != null
        ? Authorizations.expireSession(stripe, pay.sessionId(), playId)
        : Authorizations.cancel(stripe, pay.paymentIntentId(), playId);
    return closed
        .transform(x -> {
          if (x.failed()) {
            LOG.warn("play undo: cancel failed playId={} pi={} session={}: {}", playId, pay.paymentIntentId(),
                pay.sessionId(), x.cause().toString());
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

  /**
   * The hosted page: one line item for the maximum (what is authorized), manual capture, the play in the
   * metadata of the session and of the PaymentIntent it creates when the buyer pays (its only link to the play:
   * the PaymentIntent id is unknown until then), back to the play page either way.
   */
  private SessionCreateParams session(String playId, PlayRules.Priced priced, PlayRequest request,
                                      List<String> cardTitles) {
    String game = priced.game().equals("FLIP") ? "Flip" : "Pull";
    String name = clip("ThisOrThat " + game + ": " + String.join(", ", cardTitles), 250);
    String description = priced.game().equals("FLIP")
        ? "Authorized now: " + dollars(priced.amount()) + ", the most this flip costs. After the reveal you are "
            + "charged " + dollars(priced.winPrice()) + " on a WIN or " + dollars(priced.losePrice()) + " on a LOSE."
        : "Charged " + dollars(priced.amount()) + " after the reveal, for the one card of the "
            + priced.options().size() + " the pull picks.";
    String page = publicUrl + PLAY_PAGE + playId;
    return SessionCreateParams.builder()
        .setMode(SessionCreateParams.Mode.PAYMENT)
        .setCustomerEmail(request.email())
        .setSuccessUrl(page + "?paid=1")
        .setCancelUrl(page)
        .setExpiresAt(java.time.Instant.now().plus(SESSION_LIFETIME).getEpochSecond())
        .setClientReferenceId(playId)
        .putMetadata("app", "tot").putMetadata("playId", playId)
        .addLineItem(SessionCreateParams.LineItem.builder().setQuantity(1L)
            .setPriceData(SessionCreateParams.LineItem.PriceData.builder().setCurrency("usd")
                .setUnitAmount(priced.amount())
                .setProductData(SessionCreateParams.LineItem.PriceData.ProductData.builder()
                    .setName(name).setDescription(description).build())
                .build())
            .build())
        .setPaymentIntentData(SessionCreateParams.PaymentIntentData.builder()
            .setCaptureMethod(SessionCreateParams.PaymentIntentData.CaptureMethod.MANUAL)
            .setDescription("ThisOrThat " + priced.game().toLowerCase() + " " + playId)
            .putMetadata("app", "tot").putMetadata("playId", playId)
            .build())
        .build();
  }

  private static String dollars(Long cents) {
    long c = cents == null ? 0 : cents;
    return String.format(java.util.Locale.ROOT, "$%d.%02d", c / 100, c % 100);
  }

  private static String clip(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
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
