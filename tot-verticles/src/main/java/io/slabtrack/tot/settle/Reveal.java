package io.slabtrack.tot.settle;

import io.slabtrack.tot.fairness.Fairness;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** The outcome of a play from its seeds and committed options: what the buyer pays and which cards are sold. */
record Reveal(String clientSeed, boolean clientSeedDefaulted, String outcomeBytesHex, String outcome,
              Long winnerListingId, long amount, List<Long> soldCards, List<Long> releasedCards) {

  static Reveal of(String game, byte[] serverSeed, String clientSeed, String playId, JsonArray options, long winPrice,
                   long losePrice, long pullPrice) {
    boolean defaulted = clientSeed == null;
    String seed = defaulted ? playId : clientSeed;
    byte[] bytes = Fairness.outcomeBytes(serverSeed, seed);
    String hex = HexFormat.of().formatHex(bytes);
    List<Long> all = new ArrayList<>();
    options.forEach(o -> ((JsonObject) o).getJsonArray("cardIds").forEach(id -> all.add(((Number) id).longValue())));
    if (game.equals("FLIP")) {
      Fairness.FlipOutcome flip = Fairness.flip(bytes);
      return new Reveal(seed, defaulted, hex, flip.name(), null,
          flip == Fairness.FlipOutcome.WIN ? winPrice : losePrice, all, List.of());
    }
    JsonObject winner = options.getJsonObject(Fairness.pullWinner(bytes, options.size()));
    List<Long> sold = winner.getJsonArray("cardIds").stream().map(id -> ((Number) id).longValue()).toList();
    List<Long> released = all.stream().filter(id -> !sold.contains(id)).toList();
    return new Reveal(seed, defaulted, hex, "PULL", winner.getLong("listingId"), pullPrice, sold, released);
  }
}
