package io.slabtrack.core.cards;

import io.slabtrack.cluster.auth.AuthHandlers;
import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.http.Responses;
import io.slabtrack.core.api.OperatorApi;
import io.slabtrack.core.api.VendorAccess;
import io.slabtrack.core.vendors.Ownership;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** The inventory routes of the operator API (validated against the OpenAPI document before they run). */
public final class CardRoutes implements OperatorApi.Feature {
  private static final int DEFAULT_AUDIT_LIMIT = 1000;
  private final Cards cards;
  private final PriceAuditActions auditActions;
  private final Ownership ownership;

  public CardRoutes(Cards cards, PriceAuditActions auditActions, Ownership ownership) {
    this.cards = cards;
    this.auditActions = auditActions;
    this.ownership = ownership;
  }

  @Override
  public void bind(OperatorApi.Binder api) {
    api.on("listCards", this::list);
    api.on("createCard", this::create);
    api.on("getCard", this::get);
    api.on("patchCard", this::patch);
    api.on("deleteCard", this::delete);
    api.on("pricingAudit", this::audit);
    api.on("pricingAuditAction", this::auditAction);
  }

  private void list(RoutingContext rc) {
    CardQuery query = CardQuery.from(rc.queryParams());
    VendorAccess.ownerScope(rc).ifPresent(query::ownedBy);
    cards.list(query).onSuccess(page -> Responses.ok(rc, page)).onFailure(rc::fail);
  }

  private void create(RoutingContext rc) {
    String owner = AuthHandlers.principal(rc).subject();
    cards.create(CardInput.forCreate(body(rc)), owner)
        .onSuccess(card -> Responses.created(rc, "/api/cards/" + card.getLong("id"), card))
        .onFailure(rc::fail);
  }

  private void get(RoutingContext rc) {
    long id = id(rc);
    ownership.cards(VendorAccess.ownerScope(rc), List.of(id)).compose(v -> cards.get(id))
        .onSuccess(card -> Responses.ok(rc, card)).onFailure(rc::fail);
  }

  private void patch(RoutingContext rc) {
    long id = id(rc);
    var values = CardInput.forPatch(body(rc));
    ownership.cards(VendorAccess.ownerScope(rc), List.of(id)).compose(v -> cards.patch(id, values))
        .onSuccess(card -> Responses.ok(rc, card)).onFailure(rc::fail);
  }

  private void delete(RoutingContext rc) {
    cards.delete(id(rc)).onSuccess(v -> Responses.noContent(rc)).onFailure(rc::fail);
  }

  private void audit(RoutingContext rc) {
    String limit = rc.queryParams().get("limit");
    cards.audit(limit == null ? DEFAULT_AUDIT_LIMIT : Integer.parseInt(limit))
        .onSuccess(r -> Responses.ok(rc, r)).onFailure(rc::fail);
  }

  private void auditAction(RoutingContext rc) {
    JsonObject body = body(rc);
    auditActions.apply(body.getString("action"), PriceAuditActions.selection(body),
            Boolean.TRUE.equals(body.getBoolean("dryRun")), AuthHandlers.principal(rc).subject())
        .onSuccess(r -> Responses.ok(rc, r)).onFailure(rc::fail);
  }

  /** The path id, already checked by the validator (integer ≥ 1). */
  public static long id(RoutingContext rc) {
    try {
      return Long.parseLong(rc.pathParam("id"));
    } catch (NumberFormatException e) {
      throw ApiErrors.invalidField("id", "id must be a positive integer");
    }
  }

  /** The JSON object body; invalid input is rethrown as the 400 naming its field. */
  public static JsonObject body(RoutingContext rc) {
    try {
      JsonObject body = rc.body().asJsonObject();
      return body == null ? new JsonObject() : body;
    } catch (RuntimeException e) {
      throw ApiErrors.badRequest("invalid_json", "The body must be a JSON object", "body");
    }
  }
}
