package io.slabtrack.core.channels;

import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.http.Responses;
import io.slabtrack.core.api.OperatorApi;
import io.slabtrack.core.api.VendorAccess;
import io.slabtrack.core.vendors.Ownership;
import io.slabtrack.cluster.http.ApiException;
import io.slabtrack.core.cards.CardRoutes;
import io.slabtrack.core.cards.Cards;
import io.slabtrack.core.cards.InvalidField;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Engage, disengage, commit and relist: the channel routes of the operator API. */
public final class ChannelRoutes implements OperatorApi.Feature {
  private final Engagements engagements;
  private final Disengagements disengagements;
  private final Cards cards;
  private final Ownership ownership;

  public ChannelRoutes(Engagements engagements, Disengagements disengagements, Cards cards, Ownership ownership) {
    this.engagements = engagements;
    this.disengagements = disengagements;
    this.cards = cards;
    this.ownership = ownership;
  }

  @Override
  public void bind(OperatorApi.Binder api) {
    api.on("listChannels", this::channels);
    api.on("engageCard", this::engage);
    api.on("disengageCard", this::disengage);
    api.on("commitChannels", this::commit);
    api.on("relistCard", this::relist);
  }

  private void channels(RoutingContext rc) {
    JsonArray out = new JsonArray();
    for (Channel c : Channel.values()) {
      out.add(new JsonObject().put("slug", c.slug).put("exclusive", c.exclusive)
          .put("publishes", c.publishAddress().isPresent()));
    }
    Responses.ok(rc, out);
  }

  private void engage(RoutingContext rc) {
    long id = CardRoutes.id(rc);
    EngageRequest request;
    try {
      request = EngageRequest.parse(id, rc.pathParam("channel"), CardRoutes.body(rc), "");
    } catch (InvalidField e) {
      rc.fail(e.toApi());
      return;
    }
    ownership.engagements(VendorAccess.ownerScope(rc), List.of(request), "")
        .compose(v -> engagements.engage(List.of(request), false))
        .compose(x -> cards.get(id))
        .onSuccess(card -> Responses.ok(rc, card))
        .onFailure(rc::fail);
  }

  private void disengage(RoutingContext rc) {
    long id = CardRoutes.id(rc);
    Channel channel = Channel.of(rc.pathParam("channel"))
        .orElseThrow(() -> ApiErrors.invalidField("channel", "unknown channel"));
    Optional<String> owner = VendorAccess.ownerScope(rc);
    Optional<ApiException> refused = Ownership.channel(owner, channel.slug, "channel");
    if (refused.isPresent()) {
      rc.fail(refused.get());
      return;
    }
    ownership.cards(owner, List.of(id)).compose(v -> disengagements.disengage(id, channel)).onSuccess(x -> Responses.noContent(rc)).onFailure(rc::fail);
  }

  private void commit(RoutingContext rc) {
    JsonArray items;
    try {
      items = rc.body().asJsonArray();
    } catch (RuntimeException e) {
      throw ApiErrors.badRequest("invalid_json", "The body must be a JSON array", "body");
    }
    List<EngageRequest> requests = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      JsonObject item = items.getJsonObject(i);
      String prefix = "[" + i + "].";
      try {
        requests.add(EngageRequest.parse(item.getLong("cardId"), item.getString("channel"), item, prefix));
      } catch (InvalidField e) {
        rc.fail(e.toApi());
        return;
      }
    }
    ownership.engagements(VendorAccess.ownerScope(rc), requests, "[]")
        .compose(v -> engagements.engage(requests, true))
        .onSuccess(ids -> Responses.ok(rc, new JsonObject().put("committed", requests.size())
            .put("cardIds", new JsonArray(ids))))
        .onFailure(rc::fail);
  }

  private void relist(RoutingContext rc) {
    long id = CardRoutes.id(rc);
    disengagements.relist(id).compose(x -> cards.get(id))
        .onSuccess(card -> Responses.ok(rc, card)).onFailure(rc::fail);
  }
}
