package io.slabtrack.cluster.limits;

import io.slabtrack.cluster.http.ApiException;
import io.slabtrack.cluster.http.ClientAddress;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Limits on what one anonymous buyer can hold: before a checkout or play is created, the buyer's client address
 * and e-mail may have only so many still unpaid (pending) and may start only so many per window; beyond either,
 * 429 {@code rate_limited} with Retry-After, and nothing is locked or created. Every node of an app counts in the
 * app's database: the rate in {@link RateLimiter}'s windows, the pending ones as {@code buyer_holds} rows joined
 * to the app's own order state (so a paid, cancelled or expired checkout stops counting the moment the app says
 * so). The pending check and the creation are not one transaction (locks and Stripe lie between), so concurrent
 * requests may overshoot the pending cap; the rate limit, which is exact, bounds by how much.
 */
public final class BuyerLimits {
  private static final String KNOWN_KEY = "SELECT 1 FROM buyer_holds WHERE idempotency_key = $1";
  private final Pool pool;
  private final RateLimiter rate;
  private final BuyerLimitSettings settings;
  private final ClientAddress clients;
  /** Both buckets' pending holds in one round trip: {@code $1} address, {@code $2} e-mail, {@code $3}/{@code $4} caps. */
  private final String countBoth;
  /**
   * Whether {@code $9} is a known Idempotency-Key (a retry), {@link #countBoth} and, only if it is not and neither
   * cap is reached, both rate hits: one round trip (see {@link #guard}).
   */
  private final String countThenHit;
  private final String firstFreeByAddress;
  private final String firstFreeByEmail;
  private final Duration holdFor;
  private final String what;

  /**
   * @param stillHolding SQL condition on hold {@code h} that is true while its checkout/play (id {@code h.ref}) is
   *                     unpaid and open, e.g. {@code EXISTS (SELECT 1 FROM orders o WHERE o.id = h.ref AND ...)}
   * @param holdFor      how long a new checkout/play can hold its cards (its sale-locks' TTL)
   * @param what         the plural noun buyers read in the 429 ("checkouts", "plays")
   */
  public BuyerLimits(Pool pool, BuyerLimitSettings settings, ClientAddress clients, String stillHolding,
                     Duration holdFor, String what) {
    this.pool = pool;
    this.rate = new RateLimiter(pool);
    this.settings = settings;
    this.clients = clients;
    this.holdFor = holdFor;
    this.what = what;
    this.countBoth = "SELECT (" + count("client_address", stillHolding, "$1", "$3") + "), ("
        + count("email_key", stillHolding, "$2", "$4") + ")";
    this.countThenHit = "WITH known AS (SELECT EXISTS (SELECT 1 FROM buyer_holds WHERE idempotency_key = $9) AS retry), "
        + "pending AS (SELECT (" + count("client_address", stillHolding, "$1", "$3")
        + ") AS by_address, (" + count("email_key", stillHolding, "$2", "$4") + ") AS by_email), "
        + "gate AS (SELECT 1 FROM pending, known WHERE NOT known.retry AND ($3 = 0 OR pending.by_address < $3) "
        + "AND ($4 = 0 OR pending.by_email < $4)), "
        + RateLimiter.hitThenSteps("gate, ", "$5", "$6", "$7", "$8") + " "
        + "SELECT pending.by_address, pending.by_email, (SELECT hits FROM hit1), (SELECT hits FROM hit2), known.retry "
        + "FROM pending, known";
    this.firstFreeByAddress = firstFree("client_address", stillHolding);
    this.firstFreeByEmail = firstFree("email_key", stillHolding);
  }

  /**
   * Creates the checkout/play through {@code create} if this buyer is within the limits; {@code create} records
   * the {@link BuyerHold} it is given in the statement that inserts the checkout/play. A retry with an
   * Idempotency-Key that already created one is let through uncounted: it answers with the first one and locks
   * nothing new.
   *
   * @param idempotencyKey the request's key, scoped as the app scopes it (null: none)
   */
  public <T> Future<T> guard(RoutingContext rc, String email, String idempotencyKey,
                             Function<BuyerHold, Future<T>> create) {
    return guard(rc, email, idempotencyKey, client -> Future.succeededFuture(), (nothing, hold) -> create.apply(hold));
  }

  /**
   * {@link #guard(RoutingContext, String, String, Function)} with the app's first read ({@code read}, e.g. the shop
   * and the cards of a checkout) sent on the same connection right behind the limits' statement, without waiting
   * for its answer: one pooled connection and one round trip for both, where a checkout's statements bound
   * checkouts per second. The read is wasted when the limits refuse (their 429 wins over the read's own error); it
   * must not write.
   */
  public <R, T> Future<T> guard(RoutingContext rc, String email, String idempotencyKey,
                                Function<SqlClient, Future<R>> read, BiFunction<R, BuyerHold, Future<T>> create) {
    String address = clients.of(rc);
    String emailKey = emailKey(email);
    BuyerHold hold = new BuyerHold(address, emailKey, idempotencyKey, holdFor);
    if (!oneStatement()) {
      Future<Boolean> known = idempotencyKey == null ? Future.succeededFuture(false)
          : pool.preparedQuery(KNOWN_KEY).execute(Tuple.of(idempotencyKey)).map(rows -> rows.size() > 0);
      return known.compose(retry -> retry ? Future.succeededFuture() : admitApart(address, emailKey))
          .compose(x -> read.apply(pool)).compose(r -> create.apply(r, hold));
    }
    long start = RateLimiter.windowStart(settings.window());
    Tuple params = Tuple.of(address, emailKey, Math.max(0, settings.pendingPerAddress()),
        Math.max(0, settings.pendingPerEmail()), "buyer:addr:" + address, "buyer:email:" + emailKey, (double) start,
        settings.perAddress()).addString(idempotencyKey);
    // both statements are sent at once (the client pipelines on a connection); the connection goes back to the pool
    // once both are answered, before any follow-up statement (a follow-up on another connection while holding this
    // one could wait on a pool its holders exhaust)
    return pool.withConnection(conn -> {
      Future<RowSet<Row>> counted = conn.preparedQuery(countThenHit).execute(params);
      Future<R> first = Future.<R>succeededFuture().compose(x -> read.apply(conn));
      return Future.join(counted, first).transform(x -> Future.succeededFuture(new Answers<>(counted, first)));
    }).compose(answers -> answers.counted.compose(rows -> verdict(rows.iterator().next(), address, emailKey, start))
        .compose(x -> answers.first).compose(r -> create.apply(r, hold)));
  }

  /** Both answers of {@link #guard}'s first round trip, each complete, failed or not. */
  private record Answers<R>(Future<RowSet<Row>> counted, Future<R> first) {
  }

  /** The pending caps and both rate limits are on: everything is decided by {@link #countThenHit}. */
  private boolean oneStatement() {
    return (settings.pendingPerAddress() > 0 || settings.pendingPerEmail() > 0) && settings.perAddress() > 0
        && settings.perEmail() > 0;
  }

  /** {@link #countThenHit}'s row: admitted (a known key's retry, or under every limit) or the 429. */
  private Future<Void> verdict(Row r, String address, String emailKey, long windowStart) {
    if (r.getBoolean(4)) {
      return Future.succeededFuture(); // a retry of a key that created one: uncounted (the hits were not taken)
    }
    Future<Void> pending = pendingVerdict(r, address, emailKey);
    if (pending != null) {
      return pending;
    }
    if (r.getInteger(2) > settings.perAddress() || r.getInteger(3) > settings.perEmail()) {
      return Future.failedFuture(RateLimiter.limitedUntilWindowEnd(tooMany(), windowStart, settings.window()));
    }
    return Future.succeededFuture();
  }

  private String tooMany() {
    return "Too many " + what + " started from here; try again later";
  }

  /** A limit is off (0): the pending counts, then the rate hits, each in a statement of its own. */
  private Future<Void> admitApart(String address, String emailKey) {
    // always the address bucket first (the rows' lock order)
    return pending(address, emailKey).compose(x -> rate.hitThen("buyer:addr:" + address, settings.perAddress(),
        "buyer:email:" + emailKey, settings.perEmail(), settings.window(), tooMany()));
  }

  private Future<Void> pending(String address, String emailKey) {
    int byAddress = settings.pendingPerAddress();
    int byEmail = settings.pendingPerEmail();
    if (byAddress <= 0 && byEmail <= 0) {
      return Future.succeededFuture();
    }
    // a cap of 0 is off: counting up to 0 reads nothing
    return pool.preparedQuery(countBoth).execute(Tuple.of(address, emailKey, Math.max(0, byAddress),
        Math.max(0, byEmail))).compose(rows -> {
          Future<Void> refused = pendingVerdict(rows.iterator().next(), address, emailKey);
          return refused != null ? refused : Future.succeededFuture();
        });
  }

  /** The 429 of a reached pending cap, from a row whose first two columns are the counts; null if neither is. */
  private Future<Void> pendingVerdict(Row counts, String address, String emailKey) {
    int byAddress = settings.pendingPerAddress();
    int byEmail = settings.pendingPerEmail();
    if (byAddress > 0 && counts.getLong(0) >= byAddress) {
      return limited(firstFreeByAddress, address, "pending_per_address");
    }
    if (byEmail > 0 && counts.getLong(1) >= byEmail) {
      return limited(firstFreeByEmail, emailKey, "pending_per_email");
    }
    return null;
  }

  private Future<Void> limited(String firstFreeSql, String bucket, String name) {
    return pool.preparedQuery(firstFreeSql).execute(Tuple.of(bucket)).compose(first -> Future.failedFuture(
        pendingLimited(name, first.size() == 0 ? null : first.iterator().next().getInteger(0))));
  }

  /** Counts at most {@code cap} holds (an index walk that stops there, however many a bucket has). */
  private static String count(String column, String stillHolding, String bucket, String cap) {
    return ("SELECT count(*) FROM (SELECT 1 FROM buyer_holds h WHERE h.%s = %s AND h.expires_at > now() AND (%s) "
        + "LIMIT %s) held").formatted(column, bucket, stillHolding, cap);
  }

  /** When the oldest hold of the bucket that still counts expires: the Retry-After of a pending limit. */
  private static String firstFree(String column, String stillHolding) {
    return ("SELECT ceil(extract(epoch FROM h.expires_at - now()))::int FROM buyer_holds h "
        + "WHERE h.%s = $1 AND h.expires_at > now() AND (%s) ORDER BY h.expires_at LIMIT 1")
        .formatted(column, stillHolding);
  }

  private ApiException pendingLimited(String limit, Integer freesInSeconds) {
    ApiException e = RateLimiter.limited("Too many unpaid " + what + " are open; pay for or cancel one, "
        + "or try again once one has expired", freesInSeconds == null ? 1 : freesInSeconds);
    e.details().put("limit", limit);
    return e;
  }

  /** One mailbox, one key: case folded, and a {@code +tag} (which reaches the same inbox) dropped. */
  static String emailKey(String email) {
    String lower = email.strip().toLowerCase(Locale.ROOT);
    int at = lower.lastIndexOf('@');
    int plus = lower.indexOf('+');
    return plus > 0 && plus < at ? lower.substring(0, plus) + lower.substring(at) : lower;
  }

}
