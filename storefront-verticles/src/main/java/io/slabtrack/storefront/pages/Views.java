package io.slabtrack.storefront.pages;

import gg.jte.Content;
import io.slabtrack.storefront.cards.Cards;
import java.util.List;
import java.util.Map;

/** What each page template receives: one record per template, built by the handlers, read by jte. */
public final class Views {
  private Views() {
  }

  /** The shop's header on every page: its name, and the cart with how many cards are in it. */
  public record Header(String shopName, String shopHref, String cartHref, int cartCount) {
    static Header of(String slug, String name, int cartCount) {
      return new Header(name, "/s/" + slug, "/s/" + slug + "/cart", cartCount);
    }
  }

  public record ShopLink(String name, String href, String bio, boolean accepting) {
  }

  public record Home(List<ShopLink> shops) {
  }

  public record Pager(int page, int pages, String prev, String next) {
  }

  /**
   * The shop page as every buyer sees it; {@code tiles} writes a card's tile (the page is cut there, so a buyer's
   * cart marks their own tiles only: {@code SharedPage}).
   */
  public record ShopPage(String slug, String name, String bio, String banner, boolean accepting,
                         List<CardView> featured, List<CardView> cards, long total, ShopFilters filters,
                         Cards.Facets facets, Pager pager, List<String> grades, Tiles tiles) {
  }

  /** Where a card's tile goes in a page. */
  @FunctionalInterface
  public interface Tiles {
    Content tile(CardView card);
  }

  public record CardPage(String slug, CardView card, boolean accepting, boolean inCart, String shopName) {
  }

  /** A cart line: the card, and why it can't be bought now ({@code sold}, {@code unavailable}, {@code held}). */
  public record CartLine(CardView card, String flag) {
    public boolean ok() {
      return flag == null;
    }
  }

  /** {@code payHref}: the buyer's own checkout still waiting for payment, to go back to. */
  public record CartPage(String slug, List<CartLine> lines, String total, int buyable, boolean accepting,
                         String note, String payHref) {
  }

  /** {@code fields}: the shared email and address fields ({@code ShippingForm}), already rendered. */
  public record CheckoutPage(String slug, List<CardView> cards, String total, Content fields, String formError,
                             String key, String notice) {
  }

  public record OrderLine(String title, String grade, String price, String image, String href) {
  }

  /**
   * The order page: its state in words ({@code heading}, {@code detail}), the tone of the notice ({@code good},
   * {@code warn}, {@code bad}), and whether it is still settling (the page refreshes itself until it is not).
   */
  public record OrderPage(String orderId, String shortId, String state, String heading, String detail, String tone,
                          List<OrderLine> lines, String total, String refunded, String carrier, String tracking,
                          String shopHref, String payHref, boolean settling, String selfHref) {
  }

  /** Where Stripe's onboarding sends the owner back: ready to sell, or what is still missing. */
  public record StripeReturn(String slug, String shopName, boolean ready, boolean detailsSubmitted,
                             String continueHref) {
  }

  /**
   * The owner's page of a shop: Stripe's state, the orders by state, the cards. {@code note} is the outcome of the
   * last form sent (a fixed word, see manage.jte), {@code noteOrder}/{@code noteCard} the row it was about.
   */
  public record ManagePage(String slug, String shopName, String note, String noteTarget, Payments payments,
                           List<OrderGroup> orderGroups, int orderCount, List<ManagedCard> cards,
                           ShopDetails details) {
  }

  /**
   * The shop details form: name, bio, banner, theme (preset and palette; {@code ownColors} when the shop has its own
   * colours, kept unless a palette is picked) and the ship-from address ({@code shipFrom} by field name);
   * {@code previewClass} themes the preview beside it (shop.js follows the form's choices).
   */
  public record ShopDetails(String href, String name, String bio, String bannerUrl, String preset, String palette,
                            boolean ownColors, List<String> presets, List<String> palettes,
                            Map<String, String> shipFrom, String previewClass) {
    public String ship(String field) {
      return shipFrom.getOrDefault(field, "");
    }
  }

  /** The shop's Stripe account as last stored: none yet, details missing, under review, or taking charges. */
  public record Payments(boolean connected, boolean detailsSubmitted, boolean chargesEnabled, String startHref) {
  }

  public record OrderGroup(String state, String label, List<ManagedOrder> orders) {
  }

  /** One order on the owner's page, with the forms its state allows (ship when paid, refund while money is left). */
  public record ManagedOrder(String id, String shortId, String state, String email, String shipTo, String total,
                             String refunded, String refundable, List<String> cards, String carrier,
                             String tracking, String createdAt, boolean canShip, boolean canRefund,
                             String shipHref, String refundHref) {
  }

  /** One card on the owner's page with its edit form's values. */
  public record ManagedCard(CardView card, String status, String publishedPrice, String customPrice,
                            boolean featured, boolean hidden, boolean sold, String editHref) {
  }
}
