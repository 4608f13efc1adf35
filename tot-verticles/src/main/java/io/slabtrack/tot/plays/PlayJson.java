package io.slabtrack.tot.plays;

import io.slabtrack.tot.fairness.SeedVault;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.HexFormat;

/** A play as the public sees it: the commitment always, the seeds and outcome only once revealed. */
final class PlayJson {
  static final String RECIPE = "1. SHA-256 of the lowercase hex text of serverSeed must equal seedHash. "
      + "2. outcomeBytes = HMAC-SHA256(key = serverSeed bytes, message = clientSeed as UTF-8). "
      + "3. FLIP: last byte even -> WIN (pay winPrice), odd -> LOSE (pay losePrice); "
      + "winPrice = round(cardValue x (1 - spread)), losePrice = round(cardValue x (1 + spread)). "
      + "PULL: options sorted by listingId ascending, winner = options[outcomeBytes[0] mod n] (byte unsigned); "
      + "pullPrice = round(sum of option cardValues x 0.85 / n) + 100. "
      + "All amounts are integer cents, rounded half-up once at the end.";

  private PlayJson() {
  }

  /**
   * The commit answer (also the answer to a retry with the same Idempotency-Key): {@code clientSecret} for a play
   * paid with Stripe Elements, {@code checkoutUrl} (the hosted payment page) for one paid on Checkout.
   */
  static JsonObject committed(Row r) {
    JsonObject o = new JsonObject().put("playId", r.getString("id")).put("game", r.getString("game"))
        .put("status", r.getString("status")).put("seedHash", r.getString("seed_hash"))
        .put("payment", r.getString("payment_mode"));
    if (checkout(r)) {
      o.put("checkoutUrl", r.getString("checkout_url"));
    } else {
      o.put("clientSecret", r.getString("client_secret"));
    }
    return o.put("amount", r.getLong("amount"))
        .put("anchor", r.getString("anchor")).put("anchoredAt", time(r.getOffsetDateTime("anchored_at")))
        .put("clientSeedDefault", "if no clientSeed is posted before payment is authorized, the play id is used");
  }

  private static boolean checkout(Row r) {
    return PlayRequest.PaymentMode.CHECKOUT.json().equals(r.getString("payment_mode"));
  }

  static JsonObject of(Row r, SeedVault vault) {
    JsonObject o = new JsonObject()
        .put("playId", r.getString("id"))
        .put("game", r.getString("game"))
        .put("status", r.getString("status"))
        .put("payment", r.getString("payment_mode"))
        .put("seedHash", r.getString("seed_hash"))
        .put("anchor", r.getString("anchor"))
        .put("anchoredAt", time(r.getOffsetDateTime("anchored_at")))
        .put("options", r.getValue("options") instanceof JsonArray a ? a : new JsonArray())
        .put("cardValue", r.getLong("card_value"))
        .put("spread", r.getBigDecimal("spread") == null ? null
            : r.getBigDecimal("spread").stripTrailingZeros().toPlainString())
        .put("winPrice", r.getLong("win_price"))
        .put("losePrice", r.getLong("lose_price"))
        .put("pullPrice", r.getLong("pull_price"))
        .put("amount", r.getLong("amount"))
        .put("clientSeed", r.getString("client_seed"))
        .put("createdAt", time(r.getOffsetDateTime("created_at")));
    if (checkout(r) && "COMMITTED".equals(r.getString("status"))) {
      o.put("checkoutUrl", r.getString("checkout_url")); // still payable: the way back to the hosted page
    }
    if (r.getOffsetDateTime("revealed_at") != null) {
      // the server seed leaves the server only here, after the outcome is fixed
      o.put("serverSeed", HexFormat.of().formatHex(vault.open(r.getString("server_seed_sealed"), r.getString("id"))))
          .put("clientSeedDefaulted", r.getBoolean("client_seed_default"))
          .put("outcomeBytes", r.getString("outcome_bytes"))
          .put("outcome", r.getString("outcome"))
          .put("winnerListingId", r.getLong("winner_listing_id"))
          .put("outcomeAmount", r.getLong("outcome_amount"))
          .put("revealedAt", time(r.getOffsetDateTime("revealed_at")))
          .put("recipe", RECIPE);
    }
    return o;
  }

  private static String time(OffsetDateTime t) {
    return t == null ? null : t.toInstant().toString();
  }
}
