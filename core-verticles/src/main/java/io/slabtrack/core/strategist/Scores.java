package io.slabtrack.core.strategist;

import io.vertx.core.json.JsonObject;

/**
 * A card's five scores (0–100 each) with the inputs each was computed from, so the operator sees why a card went
 * where it went.
 */
public record Scores(Score price, Score recency, Score sport, Score compConfidence, Score velocity) {

  /** One score and its inputs. */
  public record Score(int value, JsonObject inputs) {
    public JsonObject toJson() {
      return new JsonObject().put("score", value).put("inputs", inputs);
    }
  }

  public JsonObject toJson() {
    return new JsonObject().put("price", price.toJson()).put("recency", recency.toJson())
        .put("sport", sport.toJson()).put("compConfidence", compConfidence.toJson())
        .put("velocity", velocity.toJson());
  }
}
