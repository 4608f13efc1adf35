package io.slabtrack.storefront.pages;

import io.slabtrack.cluster.auth.AuthHandlers;
import io.slabtrack.cluster.auth.Role;
import io.slabtrack.cluster.auth.VerifiedToken;
import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.http.ApiException;
import io.slabtrack.cluster.web.Forms;
import io.slabtrack.cluster.web.Money;
import io.slabtrack.storefront.cards.CardRoutes;
import io.slabtrack.storefront.cards.Cards;
import io.slabtrack.storefront.cards.StorefrontCard;
import io.slabtrack.storefront.connect.StripeOnboarding;
import io.slabtrack.storefront.orders.Order;
import io.slabtrack.storefront.orders.OrderItem;
import io.slabtrack.storefront.orders.ShopOrders;
import io.slabtrack.storefront.shops.Shop;
import io.slabtrack.storefront.shops.ShopInput;
import io.slabtrack.storefront.shops.Shops;
import io.slabtrack.storefront.shops.Theme;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The shop owner's page {@code /s/{slug}/manage} (owner or operator session; the gate answers 401 without one,
 * {@code Shop.requireAccess} 403 to anyone else — both as pages): Stripe onboarding, the orders by state with ship
 * and refund forms, the cards with their price/featured/hidden form. Every read and write goes through the same
 * services as the API ({@link ShopOrders}, {@link Cards#patch}, {@link StripeOnboarding}); each form post is
 * checked to come from this site, and answers with a redirect back to the page saying what happened.
 */
final class ManagePages {
  static final String PATH = "/s/:slug/manage";
  /** The orders shown, newest first; older ones stay reachable through the API. */
  static final int ORDER_LIMIT = 200;
  /** The states in the order an owner works through them, with the heading of each group. */
  private static final Map<String, String> GROUPS = new LinkedHashMap<>();
  /** The outcomes a form post reports back (any other {@code note} in the URL is ignored). */
  private static final List<String> SHIP_FROM = List.of("name", "line1", "line2", "city", "state", "postalCode",
      "country", "phone");
  private static final Set<String> NOTES = Set.of("shipped", "refunded", "card_saved", "details_saved", "invalid_field",
      "illegal_transition", "refund_exceeds_payment", "sold", "failed", "label_bought", "invalid_address",
      "shipping_not_configured", "ship_from_not_configured", "no_rate", "label_refused", "shipping_unavailable");

  static {
    GROUPS.put("paid", "To ship");
    GROUPS.put("disputed", "Disputed");
    GROUPS.put("awaiting_confirmation", "Paid, confirming the card is still yours");
    GROUPS.put("pending", "Waiting for payment");
    GROUPS.put("shipped", "Shipped");
    GROUPS.put("delivered", "Delivered");
    GROUPS.put("refunded", "Refunded");
    GROUPS.put("cancelled", "Cancelled");
  }

  private static final java.time.format.DateTimeFormatter WHEN =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(java.time.ZoneOffset.UTC);

  private final PageRenderer pages;
  private final Shops shops;
  private final Cards cards;
  private final ShopOrders orders;
  private final StripeOnboarding onboarding;

  ManagePages(PageRenderer pages, Shops shops, Cards cards, ShopOrders orders, StripeOnboarding onboarding) {
    this.pages = pages;
    this.shops = shops;
    this.cards = cards;
    this.orders = orders;
    this.onboarding = onboarding;
  }

  static String path(String slug) {
    return PATH.replace(":slug", slug);
  }

  void show(RoutingContext rc) {
    VerifiedToken who = AuthHandlers.principal(rc);
    String slug = rc.pathParam("slug");
    String asked = rc.queryParams().get("note");
    String note = asked != null && NOTES.contains(asked) ? asked : null;
    String target = note == null ? null : safeTarget(rc.queryParams().get("target"));
    shops.get(slug).compose(shop -> {
      shop.requireAccess(who);
      return orders.list(slug, who, null, ORDER_LIMIT, 0).compose(list -> withItems(list).compose(items ->
          cards.forOwner(slug, who).compose(owned -> pages.send(rc, 200, "Manage · " + shop.name(),
              ShopTheme.of(shop.theme()), Views.Header.of(slug, shop.name(), Cart.of(rc, slug).size()),
              "manage.jte", new Views.ManagePage(slug, shop.name(), note, target, payments(shop),
                  groups(slug, list, items), list.size(), cardViews(slug, owned), details(shop))))));
    }).onFailure(rc::fail);
  }

  /** Starts or resumes Connect onboarding: a fresh link (they expire within minutes), followed at once. */
  void startOnboarding(RoutingContext rc) {
    Forms.requireThisSite(rc, StorefrontPages.FOREIGN_FORM);
    String slug = rc.pathParam("slug");
    onboarding.link(slug, AuthHandlers.principal(rc), "storefront-account-link-" + slug + "-" + UUID.randomUUID())
        .compose(link -> Forms.redirect(rc, link.getString("url"))).onFailure(rc::fail);
  }

  void ship(RoutingContext rc) {
    Forms.requireThisSite(rc, StorefrontPages.FOREIGN_FORM);
    String slug = rc.pathParam("slug");
    String orderId = rc.pathParam("orderId");
    act(rc, slug, orderId, "shipped", () -> orders.ship(slug, orderId, AuthHandlers.principal(rc),
        form(rc, "carrier"), form(rc, "trackingNumber")));
  }

  /** An empty amount refunds what is left; an amount refunds that much (the key makes a double click count once). */
  void refund(RoutingContext rc) {
    Forms.requireThisSite(rc, StorefrontPages.FOREIGN_FORM);
    String slug = rc.pathParam("slug");
    String orderId = rc.pathParam("orderId");
    act(rc, slug, orderId, "refunded", () -> orders.refund(slug, orderId, AuthHandlers.principal(rc),
        amount(form(rc, "amount"), "amountCents"), formKey(form(rc, "key"))));
  }

  /** The card's form: custom price (blank clears it), featured and hidden (checkboxes, absent = off). */
  void editCard(RoutingContext rc) {
    Forms.requireThisSite(rc, StorefrontPages.FOREIGN_FORM);
    String slug = rc.pathParam("slug");
    long cardId = CardRoutes.cardId(rc.pathParam("cardId"));
    act(rc, slug, String.valueOf(cardId), "card_saved", () -> {
      JsonObject patch = new JsonObject().put("customPrice", amount(form(rc, "customPrice"), "customPrice"))
          .put("featured", "on".equals(form(rc, "featured"))).put("hidden", "on".equals(form(rc, "hidden")));
      return cards.patch(slug, cardId, AuthHandlers.principal(rc), patch);
    });
  }

  /**
   * The details form: name, bio, banner, theme and ship-from through {@code ShopInput.patch} and
   * {@code Shops.update} as {@code PATCH /api/storefronts/{slug}} does. A blank bio or banner clears it, a blank
   * ship-from address removes it, the palette {@code own} keeps the shop's own colours.
   */
  void editDetails(RoutingContext rc) {
    Forms.requireThisSite(rc, StorefrontPages.FOREIGN_FORM);
    String slug = rc.pathParam("slug");
    VerifiedToken who = AuthHandlers.principal(rc);
    act(rc, slug, "details", "details_saved", () -> shops.update(slug, shop -> {
      shop.requireAccess(who);
      JsonObject theme = new JsonObject().put("preset", form(rc, "preset"));
      JsonObject current = shop.theme() == null ? new JsonObject() : shop.theme();
      if ("own".equals(form(rc, "palette")) && current.getJsonObject("colors") != null) {
        theme.put("colors", current.getJsonObject("colors"));
      } else {
        theme.put("palette", form(rc, "palette"));
      }
      JsonObject shipFrom = new JsonObject();
      for (String field : SHIP_FROM) {
        String v = form(rc, "shipFrom." + field);
        if (v != null && !v.isBlank()) {
          shipFrom.put(field, v);
        }
      }
      JsonObject body = new JsonObject().put("name", form(rc, "name")).put("bio", blankToNull(form(rc, "bio")))
          .put("bannerUrl", blankToNull(form(rc, "bannerUrl"))).put("theme", theme)
          .put("shipFrom", shipFrom.isEmpty() ? null : shipFrom);
      return ShopInput.patch(body, who.roles().contains(Role.OPERATOR));
    }));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  private static Views.ShopDetails details(Shop shop) {
    JsonObject theme = shop.theme() == null ? Theme.defaults() : shop.theme();
    Map<String, String> shipFrom = new LinkedHashMap<>();
    if (shop.shipFrom() != null) {
      SHIP_FROM.forEach(f -> {
        if (shop.shipFrom().getValue(f) instanceof String v) {
          shipFrom.put(f, v);
        }
      });
    }
    boolean own = theme.getJsonObject("colors") != null;
    return new Views.ShopDetails(path(shop.slug()) + "/details", shop.name(), shop.bio(), shop.bannerUrl(),
        theme.getString("preset", "classic"), own ? "own" : theme.getString("palette", "slate"), own, Theme.PRESETS,
        Theme.PALETTES, shipFrom, ShopTheme.of(shop.theme()).bodyClass());
  }

  /**
   * Runs one form's action and goes back to the page with its outcome; a refused action (400/409: a bad field,
   * an order no longer in that state) is said on the page, while 403/404 still get their error pages.
   */
  private void act(RoutingContext rc, String slug, String target, String done, java.util.function.Supplier<Future<?>> action) {
    Future<?> result;
    try {
      result = action.get();
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onSuccess(x -> back(rc, slug, done, target)).onFailure(e -> {
      if (e instanceof ApiException api && (api.status() == 400 || api.status() == 409)) {
        back(rc, slug, NOTES.contains(api.code()) ? api.code() : "failed", target);
      } else {
        rc.fail(e);
      }
    });
  }

  private static void back(RoutingContext rc, String slug, String note, String target) {
    String row = safeTarget(target);
    Forms.redirect(rc, path(slug) + "?note=" + note + (row == null ? "" : "&target=" + row + "#" + row));
  }

  /** An order or card id as the page names its rows; anything else is dropped (it goes into a Location header). */
  private static String safeTarget(String target) {
    return target != null && target.matches("[A-Za-z0-9_-]{1,64}") ? target : null;
  }

  private static String form(RoutingContext rc, String name) {
    return rc.request().getFormAttribute(name);
  }

  private static Long amount(String typed, String field) {
    try {
      return Money.parse(typed);
    } catch (NumberFormatException | ArithmeticException e) {
      throw ApiErrors.invalidField(field, "an amount in dollars, like 12.50");
    }
  }

  /** The form's own idempotency key (one per rendered form), when it looks like one. */
  private static String formKey(String key) {
    return key != null && key.matches("[A-Za-z0-9-]{8,64}") ? "page-" + key : null;
  }


  /** The cards of the orders waiting to be shipped, so the owner sees what to pack. */
  private Future<Map<String, List<OrderItem>>> withItems(List<Order> list) {
    Map<String, List<OrderItem>> out = new java.util.concurrent.ConcurrentHashMap<>();
    List<Future<?>> reads = new ArrayList<>();
    for (Order order : list) {
      if (order.paidState() || "awaiting_confirmation".equals(order.state()) || "disputed".equals(order.state())) {
        reads.add(orders.items(order).onSuccess(items -> out.put(order.id(), items)));
      }
    }
    return Future.all(reads).map(out);
  }

  private static Views.Payments payments(Shop shop) {
    return new Views.Payments(shop.stripeAccountId() != null, shop.detailsSubmitted(), shop.chargesEnabled(),
        path(shop.slug()) + "/stripe");
  }

  private static List<Views.OrderGroup> groups(String slug, List<Order> list, Map<String, List<OrderItem>> items) {
    List<Views.OrderGroup> out = new ArrayList<>();
    GROUPS.forEach((state, label) -> {
      List<Views.ManagedOrder> in = list.stream().filter(o -> o.state().equals(state))
          .map(o -> order(slug, o, items.getOrDefault(o.id(), List.of()))).toList();
      if (!in.isEmpty()) {
        out.add(new Views.OrderGroup(state, label, in));
      }
    });
    return out;
  }

  private static Views.ManagedOrder order(String slug, Order o, List<OrderItem> items) {
    long refundable = o.capturedCents() - o.refundedCents();
    JsonObject shipment = o.shipment() == null ? new JsonObject() : o.shipment();
    String base = path(slug) + "/orders/" + o.id();
    return new Views.ManagedOrder(o.id(), o.id().length() > 8 ? o.id().substring(0, 8) : o.id(), o.state(),
        o.email(), address(o.shippingAddress()), Money.usd(o.amountCents()),
        o.refundedCents() > 0 ? Money.usd(o.refundedCents()) : null, Money.plain(refundable),
        items.stream().map(i -> CardView.title(i.snapshot() == null ? new JsonObject() : i.snapshot(), i.cardId()))
            .toList(),
        shipment.getString("carrier"), shipment.getString("trackingNumber"), when(o.createdAt()),
        "paid".equals(o.state()), (o.paidState() || "disputed".equals(o.state())) && refundable > 0,
        base + "/ship", base + "/refund");
  }

  /** "2026-12-03 15:29 UTC": when an order came in, to the minute. */
  private static String when(String iso) {
    return iso == null ? "" : WHEN.format(java.time.Instant.parse(iso));
  }

  private static String address(JsonObject a) {
    if (a == null) {
      return "";
    }
    return Stream.of(a.getString("name"), a.getString("line1"), a.getString("line2"),
            Stream.of(a.getString("city"), a.getString("state"), a.getString("postalCode")).filter(Objects::nonNull)
                .collect(Collectors.joining(" ")), a.getString("country"))
        .filter(s -> s != null && !s.isBlank()).collect(Collectors.joining(", "));
  }

  private static List<Views.ManagedCard> cardViews(String slug, List<StorefrontCard> owned) {
    return owned.stream().map(c -> new Views.ManagedCard(CardView.of(slug, c), c.status(),
        Money.usd(c.publishedPrice()), Money.plain(c.customPrice()), c.featured(), "hidden".equals(c.status()),
        "sold".equals(c.status()), path(slug) + "/cards/" + c.cardId())).toList();
  }
}
