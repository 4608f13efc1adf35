package io.slabtrack.storefront.orders;

import io.slabtrack.storefront.settle.OrderCancel;
import io.slabtrack.cluster.logging.Correlation;
import com.stripe.param.checkout.SessionCreateParams;
import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.http.ApiException;
import io.slabtrack.cluster.limits.BuyerHold;
import io.slabtrack.cluster.metrics.PurchaseMetrics;
import io.slabtrack.cluster.salelock.AcquireRequest;
import io.slabtrack.cluster.salelock.SaleLocks;
import io.slabtrack.cluster.stripe.StripeGateway;
import io.slabtrack.storefront.connect.StorefrontStripe;
import io.slabtrack.storefront.shops.Shop;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkout (ARCHITECTURE.md's sale path): validate, every card active here, the sale-lock batch, the order
 * {@code pending}, then a Stripe Checkout Session — destination charge to the shop's connected account, manual
 * capture, the platform's application fee, expiring in 31 minutes. A repeated {@code Idempotency-Key} gets the same
 * order: its lockRef is derived from the key, so a concurrent double click re-enters the same lock batch.
 */
public final class Checkout {
  static final Duration SESSION_LIFETIME = Duration.ofMinutes(31);
  /** How long past the Stripe call's timeout a retry still waits for the first request to store its URL. */
  private static final long READY_MARGIN_MILLIS = 2_000;
  /** Where a paid (or refused) payment leads: the buyer's order page. */
  public static final String ORDER_PATH = "/orders/:orderId";
  private static final Logger LOG = LoggerFactory.getLogger(Checkout.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Vertx vertx;
  private final Pool pool;
  private final SaleLocks locks;
  private final StorefrontStripe stripe;
  private final PurchaseMetrics metrics;

  public Checkout(Vertx vertx, Pool pool, SaleLocks locks, StorefrontStripe stripe, PurchaseMetrics metrics) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.pool = pool;
    this.locks = locks;
    this.stripe = stripe;
  }

  /** The shop and the asked-for cards as checkout reads them first, checked: the shop exists and takes orders. */
  public record Stock(Shop shop, Map<Long, Row> cards) {
  }

  /**
   * Checkout's first read, on {@code client} (the buyer limits send it right behind their own statement): 404 for an
   * unknown shop, 409 when it takes no orders, 503 when payments can't be taken now — before any lock or order.
   */
  public Future<Stock> read(SqlClient client, String slug, java.util.List<Long> cardIds) {
    // the shop and the cards in one round trip: a checkout's statements are what bounds checkouts per second
    return client.preparedQuery(OrderSql.SHOP_AND_CARDS_FOR_CHECKOUT)
        .execute(Tuple.of(slug).addArrayOfLong(cardIds.toArray(new Long[0]))).map(rows -> {
          if (rows.size() == 0) {
            throw ApiErrors.notFound("Shop");
          }
          Shop shop = Shop.of(rows.iterator().next());
          if (!shop.acceptingOrders() || shop.stripeAccountId() == null) {
            throw ApiErrors.conflict("not_accepting_orders", "This shop isn't accepting orders yet");
          }
          if (!stripe.gateway().configured()) {
            throw ApiErrors.unavailable("payments_not_configured", "Payments are not configured on this server");
          }
          if (stripe.gateway().saturated()) {
            // 503 payments_busy + Retry-After before any lock or order: a saturated Stripe changes nothing
            throw StripeGateway.busy();
          }
          Map<Long, Row> cards = new HashMap<>();
          rows.forEach(r -> {
            if (r.getLong("slabtrack_card_id") != null) {
              cards.put(r.getLong("slabtrack_card_id"), r);
            }
          });
          return new Stock(shop, cards);
        });
  }

  /**
   * @param stock what {@link #read} found for this request
   * @param hold  what makes the new order count against its buyer, written with the order
   * @return the order (new, or the first one for this idempotency key)
   */
  public Future<Order> start(Stock stock, CheckoutRequest req, String idempotencyKey, BuyerHold hold) {
    Shop shop = stock.shop();
    Future<Order> existing = idempotencyKey == null ? Future.succeededFuture()
        : pool.preparedQuery(OrderSql.BY_IDEMPOTENCY_KEY).execute(Tuple.of(shop.slug(), idempotencyKey))
            .map(Checkout::first);
    return existing.compose(found -> found != null ? sameRequest(found, req).compose(o -> ready(o.id()))
        : create(shop, req, idempotencyKey, stock.cards(), hold)
            .onSuccess(o -> metrics.started(PurchaseMetrics.CHECKOUT, "created"))
            .onFailure(e -> metrics.startFailed(PurchaseMetrics.CHECKOUT, e)));
  }

  private Future<Order> create(Shop shop, CheckoutRequest req, String idempotencyKey, Map<Long, Row> byId,
                               BuyerHold hold) {
    JsonArray sold = new JsonArray();
    JsonArray unavailable = new JsonArray();
    long total = 0;
    for (Long id : req.cardIds()) {
      Row r = byId.get(id);
      if (r != null && "sold".equals(r.getString("status"))) {
        sold.add(conflict(id, "sold"));
      } else if (r == null || !r.getBoolean("listed") || !"active".equals(r.getString("status"))
          || r.getLong("price") == null) {
        unavailable.add(conflict(id, "not_available"));
      } else {
        total += r.getLong("price");
      }
    }
    if (!sold.isEmpty()) {
      return Future.failedFuture(
          ApiErrors.conflicts("sold", "A card in this checkout is sold", sold.addAll(unavailable)));
    }
    if (!unavailable.isEmpty()) {
      return Future.failedFuture(ApiErrors.conflicts("not_available",
          "A card in this checkout isn't for sale in this shop", unavailable));
    }
    long amount = total;
    String orderId = UUID.randomUUID().toString();
    Correlation.put(Correlation.ORDER_ID, orderId);
    String lockRef = idempotencyKey == null ? "sf-" + token(24) : "sf-" + digest(shop.slug() + "\n" + idempotencyKey);
    return locks.acquire(AcquireRequest.of(req.cardIds(), "storefront", lockRef, orderId,
            locks.settings().defaultTtl(), locks.settings().maxTtl()))
        .compose(held -> insert(shop, req, idempotencyKey, orderId, lockRef, amount, byId, hold))
        .compose(inserted -> inserted != null ? session(shop, inserted, byId).onSuccess(x -> LOG.info(
                "checkout opened order {} in shop {} for {} card(s)", orderId, shop.slug(), req.cardIds().size()))
            : pool.preparedQuery(OrderSql.BY_IDEMPOTENCY_KEY).execute(Tuple.of(shop.slug(), idempotencyKey))
                .compose(r -> sameRequest(first(r), req)).compose(o -> ready(o.id())));
  }

  /**
   * A retry must be the same checkout: the same key with other cards, buyer or address is a client bug, and
   * answering it with the first order would charge the buyer for something they did not ask for.
   */
  private static Future<Order> sameRequest(Order first, CheckoutRequest req) {
    boolean same = new java.util.HashSet<>(first.cardIds()).equals(new java.util.HashSet<>(req.cardIds()))
        && first.email().equalsIgnoreCase(req.email())
        && java.util.Objects.equals(first.shippingAddress(), req.shippingAddress());
    return same ? Future.succeededFuture(first) : Future.failedFuture(ApiErrors.conflict("idempotency_key_reused",
        "This Idempotency-Key was used for a different checkout; use a new key for a new checkout"));
  }

  /**
   * The order, its items and its buyer hold, in one statement.
   *
   * @return the new order, or null when a concurrent double click inserted it (same lockRef, same order)
   */
  private Future<Order> insert(Shop shop, CheckoutRequest req, String idempotencyKey, String orderId, String lockRef,
                               long amount, Map<Long, Row> cards, BuyerHold hold) {
    long fee = stripe.settings().fees().applicationFeeCents(amount);
    Long[] ids = req.cardIds().toArray(new Long[0]);
    Long[] prices = new Long[ids.length];
    JsonObject[] snapshots = new JsonObject[ids.length];
    for (int i = 0; i < ids.length; i++) {
      prices[i] = cards.get(ids[i]).getLong("price");
      snapshots[i] = (JsonObject) cards.get(ids[i]).getValue("snapshot");
    }
    return pool.preparedQuery(OrderSql.INSERT).execute(hold.addTo(Tuple.of(orderId, shop.slug(), req.email(),
            req.shippingAddress(), ids, amount, fee, idempotencyKey, lockRef, "sf-claim-" + orderId, token(32))
        .addArrayOfLong(prices).addArrayOfJsonObject(snapshots)))
        .map(Checkout::first);
  }

  /**
   * The order's Checkout Session, built from what checkout already holds (the inserted order, the cards' prices and
   * snapshots): no re-reads between the insert and Stripe.
   */
  private Future<Order> session(Shop shop, Order order, Map<Long, Row> cards) {
    String orderId = order.id();
    SessionCreateParams.Builder params = SessionCreateParams.builder()
        .setMode(SessionCreateParams.Mode.PAYMENT)
        .setCustomerEmail(order.email())
        .setSuccessUrl(stripe.publicUrl() + ORDER_PATH.replace(":orderId", orderId) + "?token=" + order.buyerToken())
        .setCancelUrl(stripe.publicUrl() + OrderCancel.cancelPath(order)) // cancels, then back to the cart
        .setExpiresAt(Instant.now().plus(SESSION_LIFETIME).getEpochSecond())
        .putMetadata("orderId", orderId).putMetadata("app", "storefront")
        .setPaymentIntentData(SessionCreateParams.PaymentIntentData.builder()
            .setCaptureMethod(SessionCreateParams.PaymentIntentData.CaptureMethod.MANUAL)
            .setApplicationFeeAmount(order.applicationFeeCents())
            .setTransferData(SessionCreateParams.PaymentIntentData.TransferData.builder()
                .setDestination(shop.stripeAccountId()).build())
            .putMetadata("orderId", orderId).putMetadata("app", "storefront").putMetadata("shop", shop.slug())
            .build());
    order.cardIds().stream().sorted().forEach(id -> params.addLineItem(SessionCreateParams.LineItem.builder()
        .setQuantity(1L)
        .setPriceData(SessionCreateParams.LineItem.PriceData.builder().setCurrency("usd")
            .setUnitAmount(cards.get(id).getLong("price"))
            .setProductData(SessionCreateParams.LineItem.PriceData.ProductData.builder()
                .setName(title((JsonObject) cards.get(id).getValue("snapshot"), id)).build())
            .build())
        .build()));
    return stripe.gateway().createCheckoutSession(params.build(), stripe.gateway().keyPrefix() + "checkout-" + orderId)
        .compose(session -> pool.preparedQuery(OrderSql.SET_SESSION)
            .execute(Tuple.of(orderId, session.getId(), session.getUrl())).map(Checkout::first))
        .recover(t -> {
          LOG.warn("checkout session for order {} failed: {}", orderId, t.toString());
          return pool.preparedQuery(OrderSql.CANCEL).execute(Tuple.of(orderId, "checkout_failed"))
              .compose(x -> locks.release(order.lockRef()))
              .transform(x -> Future.failedFuture(t instanceof ApiException ? t
                  : ApiErrors.unavailable("payment_provider_unavailable", "Stripe could not start the checkout")));
        });
  }

  /**
   * The order once its checkout URL is set: a retry or a concurrent double click waits for the first request's
   * Checkout Session, for as long as that request's Stripe call may take (its queue wait and timeout,
   * {@code STRIPE_CALL_TIMEOUT_MS}) plus a margin for storing the URL; by then the first request has set the URL or
   * cancelled the order.
   */
  private Future<Order> ready(String orderId) {
    long deadline = System.nanoTime()
        + TimeUnit.MILLISECONDS.toNanos(stripe.settings().calls().timeoutMillis() + READY_MARGIN_MILLIS);
    return ready(orderId, deadline);
  }

  private Future<Order> ready(String orderId, long deadlineNanos) {
    if (orderId == null) {
      return Future.succeededFuture();
    }
    return order(orderId).compose(o -> {
      if (o.checkoutUrl() != null || "cancelled".equals(o.state()) || System.nanoTime() - deadlineNanos >= 0) {
        return Future.succeededFuture(o);
      }
      Promise<Order> later = Promise.promise();
      vertx.setTimer(50, t -> ready(orderId, deadlineNanos).onComplete(later));
      return later.future();
    });
  }

  public Future<Order> order(String id) {
    return pool.preparedQuery(OrderSql.BY_ID).execute(Tuple.of(id)).map(Checkout::first);
  }

  /** The order behind a buyer's private link: its token or nothing (404 either way, so ids can't be probed). */
  public Future<Order> forBuyer(String orderId, String token) {
    return order(orderId).map(order -> {
      if (order == null || !order.buyerTokenIs(token)) {
        throw ApiErrors.notFound("Order");
      }
      return order;
    });
  }

  /** An order's cards as sold: price and the card snapshot at checkout time. */
  public Future<java.util.List<OrderItem>> items(String orderId) {
    return pool.preparedQuery(OrderSql.ITEMS).execute(Tuple.of(orderId)).map(rows -> {
      java.util.List<OrderItem> out = new java.util.ArrayList<>();
      rows.forEach(r -> out.add(new OrderItem(r.getLong("card_id"), r.getLong("price_cents"),
          (JsonObject) r.getValue("snapshot"))));
      return out;
    });
  }

  public static Order first(io.vertx.sqlclient.RowSet<Row> rows) {
    return rows.iterator().hasNext() ? Order.of(rows.iterator().next()) : null;
  }

  private static String title(JsonObject s, long id) {
    String t = String.join(" ", java.util.stream.Stream.of(s.getValue("year"), s.getValue("setName"),
            s.getValue("player"), s.getValue("gradingCompany"), s.getValue("grade"))
        .filter(java.util.Objects::nonNull).map(String::valueOf).toList());
    return t.isBlank() ? "Card " + id : t;
  }

  private static JsonObject conflict(long id, String reason) {
    return new JsonObject().put("cardId", id).put("channel", "storefront").put("reason", reason);
  }

  static String token(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static String digest(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 20);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
