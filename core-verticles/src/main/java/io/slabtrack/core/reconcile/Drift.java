package io.slabtrack.core.reconcile;

import io.vertx.core.json.JsonObject;

/**
 * One finding: what drifted (kind, channel, card or order), the evidence from both sides, and the fix heal mode
 * would apply ({@code fix}), or {@code none: …} when it must be left to a person.
 */
public record Drift(DriftKind kind, String channel, Long cardId, String orderRef, JsonObject evidence, String fix) {
  public static final String NO_FIX = "none";

  public boolean fixable() {
    return !fix.startsWith(NO_FIX);
  }

  public JsonObject toJson() {
    return new JsonObject().put("kind", kind.wire()).put("channel", channel).put("cardId", cardId)
        .put("orderRef", orderRef).put("evidence", evidence).put("fix", fix);
  }
}
