package io.slabtrack.core.strategist;

import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.core.channels.EngageRequest;
import io.slabtrack.core.channels.Engagements;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Commits a stored proposal through the one commit path ({@link Engagements}, as {@code POST /api/channels/commit}):
 * every card outside personal is engaged on its pool's channel in one all-or-nothing transaction, ToT lots as lots,
 * storefront cards on the proposal's shop, a price only where the operator's differs from the card's asking price.
 * The proposal claims itself in the same transaction, so it is committed exactly once; any card already active on
 * another channel fails the whole commit with 409 and {@code conflicts[]}.
 */
public final class ProposalCommit {
  private final Engagements engagements;
  private final ProposalStore store;

  public ProposalCommit(Engagements engagements, ProposalStore store) {
    this.engagements = engagements;
    this.store = store;
  }

  /** Commits the cards of the proposal that {@code include} accepts (all of them, or the chosen lots'). */
  public Future<JsonObject> commit(UUID id, Predicate<JsonObject> include) {
    return store.get(id).compose(stored -> {
      List<EngageRequest> requests = requests(stored.document(), include);
      if (requests.isEmpty()) {
        return Future.failedFuture(ApiErrors.unprocessable("nothing_to_commit",
            "The proposal puts no card on a channel"));
      }
      Engagements.CommitRules rules = new Engagements.CommitRules(true,
          tx -> store.claim(tx, id, requests.stream().map(EngageRequest::cardId).toList()));
      // engage() checks lot sizes before it returns a future: keep that refusal an answer, not a thrown exception
      return Future.<Void>succeededFuture().compose(v -> engagements.engage(requests, true, rules))
          .map(ids -> new JsonObject().put("proposalId", id.toString()).put("status", "committed")
              .put("committed", requests.size()).put("cardIds", new JsonArray(ids)));
    });
  }

  static List<EngageRequest> requests(JsonObject doc, Predicate<JsonObject> include) {
    String shop = doc.getString("shop");
    List<EngageRequest> out = new ArrayList<>();
    Set<String> totLots = new java.util.HashSet<>();
    doc.getJsonArray("lots").forEach(o -> {
      JsonObject l = (JsonObject) o;
      if (Pool.THISORTHAT.slug().equals(l.getString("pool"))) {
        totLots.add(l.getString("id"));
      }
    });
    for (Object o : doc.getJsonArray("cards")) {
      JsonObject c = (JsonObject) o;
      Pool pool = Pool.of(c.getString("pool")).orElseThrow();
      if (pool == Pool.PERSONAL || !include.test(c)) {
        continue;
      }
      if (pool == Pool.STOREFRONT && shop == null) {
        throw ApiErrors.unprocessable("shop_required",
            "Storefront cards need a shop: set the proposal's shop (PATCH {\"shop\": \"slug\"})");
      }
      Long asking = c.getLong("askingPrice");
      Long price = c.getLong("price");
      Long channelPrice = price != null && !price.equals(asking) ? price : null;
      // eBay has no lots in core (no adapter): its lots are the operator's listing plan, engaged card by card
      String lot = totLots.contains(c.getString("lot")) ? c.getString("lot") : null;
      out.add(new EngageRequest(c.getLong("cardId"), pool.channel, channelPrice,
          pool == Pool.STOREFRONT ? shop : null, lot));
    }
    return out;
  }
}
