package io.slabtrack.core.reconcile;

import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.reconcile.UnmatchedCaptures;
import io.slabtrack.core.channels.Channel;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * What a run does: {@code mode} report (find only) or heal (find, then fix what may be fixed); {@code channel} one
 * satellite channel or all; {@code graceSeconds} how recent a change must be to be left for the next run (default
 * 60: an outbox message may still be on its way); the operator's choices for two kinds — {@code staleEngage}
 * republish (default) or clear core's row ("Reconcile Now"), {@code unknownListing} engage it in core ("Forward
 * Reconcile") or withdraw it from the satellite; left out (null here), each listing gets its default
 * ({@link #unknownListingFix}).
 */
public record ReconcileOptions(boolean heal, Channel channel, int graceSeconds, String staleEngage,
                               String unknownListing) {
  /** The channels the reconciler can compare: those with a satellite app. */
  public static final List<Channel> SATELLITES = List.of(Channel.THISORTHAT, Channel.STOREFRONT);

  public static ReconcileOptions parse(JsonObject body) {
    JsonObject b = body == null ? new JsonObject() : body;
    String mode = text(b, "mode", "report", Set.of("report", "heal"));
    Channel channel = null;
    if (b.getValue("channel") != null) {
      channel = Channel.of(b.getValue("channel") instanceof String s ? s : null)
          .filter(SATELLITES::contains)
          .orElseThrow(() -> ApiErrors.invalidField("channel", "channel must be thisorthat or storefront"));
    }
    // the same rule the satellites apply to the graceSeconds core passes on to their Stripe check
    int grace = (int) UnmatchedCaptures.grace(b).toSeconds();
    return new ReconcileOptions("heal".equals(mode), channel, grace,
        text(b, "staleEngage", "republish", Set.of("republish", "clear")),
        text(b, "unknownListing", null, Set.of("engage", "withdraw")));
  }

  /**
   * unknown_listing's fix for one card: the operator's choice for this run; by default engage it in core, unless
   * core's own record says the operator disengaged it there — core's explicit decision wins over a satellite's
   * leftover row, so the listing is withdrawn instead.
   */
  String unknownListingFix(CoreBooks.CoreCard card) {
    if (unknownListing != null) {
      return unknownListing;
    }
    return card.disengagedByOperator() ? "withdraw" : "engage";
  }

  public String mode() {
    return heal ? "heal" : "report";
  }

  public List<Channel> channels() {
    return channel == null ? SATELLITES : List.of(channel);
  }

  public JsonObject toJson() {
    return new JsonObject().put("mode", mode()).put("channel", channel == null ? null : channel.slug)
        .put("graceSeconds", graceSeconds).put("staleEngage", staleEngage)
        .put("unknownListing", unknownListing == null ? "default" : unknownListing);
  }

  private static String text(JsonObject b, String field, String fallback, Set<String> allowed) {
    Object v = b.getValue(field);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof String s) || !allowed.contains(s)) {
      throw ApiErrors.invalidField(field, field + " must be one of " + String.join(", ", new java.util.TreeSet<>(allowed)));
    }
    return s;
  }
}
