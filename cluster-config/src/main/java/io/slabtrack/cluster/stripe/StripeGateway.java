package io.slabtrack.cluster.stripe;

import com.stripe.StripeClient;
import com.stripe.model.Account;
import com.stripe.model.AccountLink;
import com.stripe.model.PaymentIntent;
import com.stripe.model.Refund;
import com.stripe.model.checkout.Session;
import com.stripe.net.RequestOptions;
import com.stripe.param.AccountCreateParams;
import com.stripe.param.AccountLinkCreateParams;
import com.stripe.param.EventListParams;
import com.stripe.param.PaymentIntentCancelParams;
import com.stripe.param.PaymentIntentCaptureParams;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.RefundCreateParams;
import com.stripe.param.checkout.SessionCreateParams;
import com.stripe.param.checkout.SessionRetrieveParams;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.http.ApiException;
import io.slabtrack.cluster.metrics.StripeMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.Callable;

/**
 * The apps' only way to call Stripe: each call runs stripe-java's blocking HTTP on the gateway's own I/O-sized
 * threads ({@link StripeCallPool}: bounded queue, timeout, 503 {@code payments_busy} with Retry-After when
 * saturated) and answers a Future, failing with an {@link ApiException} mapped by {@link StripeErrors}.
 *
 * <p>Every state-changing call takes an idempotency key that must start with the app's prefix
 * ({@code storefront-…}, {@code tot-…}): two apps share one Stripe account, so their keys must never collide,
 * and a retry with the same key (a double click, a redelivered message, stripe-java's own network retries)
 * gets Stripe's first answer instead of a second charge or refund. Keys are the caller's to derive from its own
 * ids (e.g. {@code storefront-refund-<orderId>}), never random per attempt.
 *
 * <p>Without a key or simulator ({@link StripeSettings#configured()} false) every call fails with 503
 * {@code payments_not_configured}.
 */
public final class StripeGateway {
  private final StripeClient client;
  private final String keyPrefix;
  private final StripeMetrics metrics;
  private final StripeCallPool calls;

  public StripeGateway(Vertx vertx, StripeSettings settings, AppName app) {
    this.keyPrefix = app.id() + "-";
    this.metrics = StripeMetrics.of(vertx, app);
    this.calls = settings.configured() ? new StripeCallPool(vertx, app.id(), settings.calls()) : null;
    if (calls != null) {
      metrics.callPool(calls::running, calls::queued);
    }
    int readTimeout = (int) Math.min(20_000, settings.calls().timeoutMillis());
    this.client = settings.configured()
        ? StripeClient.builder()
            .setApiKey(settings.secretKey().orElseThrow())
            .setApiBase(settings.apiBase())
            .setConnectTimeout(5_000)
            .setReadTimeout(readTimeout)
            // its connections kept for reuse, however many calls are in flight (stripe-java's own keeps 5)
            .setHttpClient(new PooledStripeHttpClient(java.time.Duration.ofMillis(5_000)))
            // safe: retries reuse the request's idempotency key
            .setMaxNetworkRetries(2)
            .build()
        : null;
  }

  public boolean configured() {
    return client != null;
  }

  /**
   * True when a call now would be refused with 503 {@code payments_busy}: a caller about to create something
   * (an order, a play) asks first, so a saturated gateway changes nothing.
   */
  public boolean saturated() {
    return calls != null && calls.saturated();
  }

  /** 503 {@code payments_busy} with Retry-After: what a saturated gateway answers. */
  public static ApiException busy() {
    return StripeCallPool.busy();
  }

  /** {@code storefront-} or {@code tot-}: what every idempotency key given to this gateway must start with. */
  public String keyPrefix() {
    return keyPrefix;
  }

  public Future<Session> createCheckoutSession(SessionCreateParams params, String idempotencyKey) {
    return call("checkout_session_create", idempotencyKey, opts -> client.v1().checkout().sessions().create(params, opts));
  }

  /** With {@code payment_intent} expanded, so a caller sees the authorization state in one call. */
  public Future<Session> retrieveCheckoutSession(String sessionId) {
    SessionRetrieveParams params = SessionRetrieveParams.builder().addExpand("payment_intent").build();
    return read("checkout_session_retrieve", () -> client.v1().checkout().sessions().retrieve(sessionId, params));
  }

  public Future<Session> expireCheckoutSession(String sessionId, String idempotencyKey) {
    return call("checkout_session_expire", idempotencyKey, opts -> client.v1().checkout().sessions().expire(sessionId,
        com.stripe.param.checkout.SessionExpireParams.builder().build(), opts));
  }

  public Future<PaymentIntent> createPaymentIntent(PaymentIntentCreateParams params, String idempotencyKey) {
    return call("payment_intent_create", idempotencyKey, opts -> client.v1().paymentIntents().create(params, opts));
  }

  public Future<PaymentIntent> retrievePaymentIntent(String paymentIntentId) {
    return read("payment_intent_retrieve", () -> client.v1().paymentIntents().retrieve(paymentIntentId));
  }

  /** @param amountToCapture null = the whole authorization; less releases the rest to the buyer */
  public Future<PaymentIntent> capturePaymentIntent(String paymentIntentId, Long amountToCapture,
                                                    String idempotencyKey) {
    PaymentIntentCaptureParams.Builder params = PaymentIntentCaptureParams.builder();
    if (amountToCapture != null) {
      params.setAmountToCapture(amountToCapture);
    }
    return call("payment_intent_capture", idempotencyKey,
        opts -> client.v1().paymentIntents().capture(paymentIntentId, params.build(), opts));
  }

  public Future<PaymentIntent> cancelPaymentIntent(String paymentIntentId,
                                                   PaymentIntentCancelParams.CancellationReason reason,
                                                   String idempotencyKey) {
    PaymentIntentCancelParams.Builder params = PaymentIntentCancelParams.builder();
    if (reason != null) {
      params.setCancellationReason(reason);
    }
    return call("payment_intent_cancel", idempotencyKey,
        opts -> client.v1().paymentIntents().cancel(paymentIntentId, params.build(), opts));
  }

  public Future<Refund> createRefund(RefundCreateParams params, String idempotencyKey) {
    return call("refund_create", idempotencyKey, opts -> client.v1().refunds().create(params, opts));
  }

  public Future<Account> createAccount(AccountCreateParams params, String idempotencyKey) {
    return call("account_create", idempotencyKey, opts -> client.v1().accounts().create(params, opts));
  }

  public Future<Account> retrieveAccount(String accountId) {
    return read("account_retrieve", () -> client.v1().accounts().retrieve(accountId));
  }

  public Future<AccountLink> createAccountLink(AccountLinkCreateParams params, String idempotencyKey) {
    return call("account_link_create", idempotencyKey, opts -> client.v1().accountLinks().create(params, opts));
  }

  /**
   * One page of events as Stripe's raw list JSON ({@code data}, {@code has_more}), newest first: the raw form,
   * because typed event payloads come back empty when an event's API version differs from stripe-java's.
   */
  public Future<JsonObject> listEvents(EventListParams params) {
    return read("event_list", () -> new JsonObject(client.v1().events().list(params).getLastResponse().body()));
  }

  private interface StripeCall<T> {
    T run(RequestOptions options) throws Exception;
  }

  private <T> Future<T> call(String operation, String idempotencyKey, StripeCall<T> op) {
    if (idempotencyKey == null || !idempotencyKey.startsWith(keyPrefix) || idempotencyKey.length() == keyPrefix.length()
        || idempotencyKey.length() > 255) {
      // a programming error in the app, caught before anything reaches Stripe
      return Future.failedFuture(new IllegalArgumentException("Stripe idempotency key must start with '" + keyPrefix
          + "' and be at most 255 chars, got '" + idempotencyKey + "'"));
    }
    RequestOptions options = RequestOptions.builder().setIdempotencyKey(idempotencyKey).build();
    return read(operation, () -> op.run(options));
  }

  /** @param operation names the call in the metrics: a constant, never an id */
  private <T> Future<T> read(String operation, Callable<T> op) {
    if (client == null) {
      return Future.failedFuture(notConfigured());
    }
    long started = System.nanoTime();
    return calls.submit(op)
        .recover(t -> Future.failedFuture(StripeErrors.toApi(t)))
        .onComplete(ar -> metrics.call(operation, System.nanoTime() - started, ar.succeeded() ? null
            : ar.cause() instanceof ApiException api ? api.code() : "unexpected"));
  }

  static ApiException notConfigured() {
    return ApiErrors.unavailable("payments_not_configured", "Payments are not configured on this server");
  }
}
