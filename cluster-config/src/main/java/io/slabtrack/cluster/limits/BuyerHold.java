package io.slabtrack.cluster.limits;

import io.vertx.sqlclient.Tuple;
import java.time.Duration;

/**
 * What makes a new checkout or play count against its buyer while it is unpaid (a {@code buyer_holds} row, see
 * {@link BuyerLimits}). The app writes it in the very statement that creates the checkout or play, as one more step
 * of that statement's {@code WITH} clause: a checkout's statements are what bounds checkouts per second, and a hold
 * written apart cost one more round trip and one more pooled connection per checkout.
 *
 * @param idempotencyKey the request's key as the app scopes it (null: none); a retry with a known key creates nothing
 */
public record BuyerHold(String address, String emailKey, String idempotencyKey, Duration holdFor) {

  /**
   * The {@code WITH} step {@code name AS (INSERT INTO buyer_holds ...)} recording one hold per row of
   * {@code created} (the step that inserted the checkout or play; none when it inserted nothing, e.g. a concurrent
   * double click), keyed by its column {@code refColumn}, with this hold's values in parameters
   * {@code $first..$first+3} (see {@link #addTo}).
   */
  public static String insertStep(String name, String created, String refColumn, int first) {
    return name + " AS (INSERT INTO buyer_holds (ref, client_address, email_key, idempotency_key, expires_at) "
        + "SELECT " + created + "." + refColumn + ", $" + first + ", $" + (first + 1) + ", $" + (first + 2)
        + ", now() + make_interval(secs => $" + (first + 3) + ") FROM " + created + " ON CONFLICT DO NOTHING)";
  }

  /** Appends the four parameters of {@link #insertStep}, in its order. */
  public Tuple addTo(Tuple params) {
    return params.addString(address).addString(emailKey).addString(idempotencyKey)
        .addDouble((double) holdFor.toSeconds());
  }
}
