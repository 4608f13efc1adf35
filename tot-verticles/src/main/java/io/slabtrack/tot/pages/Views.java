package io.slabtrack.tot.pages;

import gg.jte.Content;
import java.util.List;

/** What each ToT page template receives: one record per template, built by the handlers, read by jte. */
public final class Views {
  private Views() {
  }

  /** The site header: how many listings the flip cart and the pull tray hold. */
  public record Header(int flipCount, int pullCount) {
  }

  public record Pager(int page, int pages, String prev, String next) {
  }

  /**
   * The browse page as every buyer sees it: a page of listings under the filters, the Lots / Singles toggle links
   * keeping the filters; {@code tiles} writes a listing's tile (the page is cut there, so a buyer's picks mark their
   * own tiles only: {@code SharedPage}).
   */
  public record Browse(List<Tile> listings, Tiles tiles, long total, BrowseFilters filters, Pager pager,
                       String allHref, String singlesHref, String lotsHref, String currentPath, String notice) {
  }

  /** Where a listing's tile goes in a page. */
  @FunctionalInterface
  public interface Tiles {
    Content tile(Tile tile);
  }

  /** A listing page: the tile's facts and every card of it. */
  public record ListingPage(Tile tile, List<CardLine> cards, String back) {
  }

  /** One card of a listing or an order. */
  public record CardLine(long id, String title, String grade, String cert, String price, String front, String back,
                         String thumb) {
  }

  /**
   * The flip cart or the pull tray: its listings, the live quote (prices, or the API's reason it can't be played)
   * and the numbers behind it ({@code average} for a tray).
   */
  public record Picks(String game, List<Tile> lines, int count, String total, String average, String winPrice,
                      String losePrice, String spread, String pullPrice, String problem, String playHref) {
    public boolean flip() {
      return "flip".equals(game);
    }
  }

  /** The form that commits a play: what is played and at what prices, and the buyer's email and address. */
  public record PlayForm(String game, List<Tile> lines, String ids, String prices, Content fields, String formError,
                         String key, String notice, String action) {
  }

  /** The play page, before and after the reveal. */
  public record PlayPage(String playId, String game, String status, String seedHash, String anchoredAt,
                         List<Option> options, String winPrice, String losePrice, String pullPrice, String maxAmount,
                         String clientSeed, boolean payable, String payAction, boolean waiting, boolean revealed,
                         boolean animate, String outcome, String outcomeWords, String charged,
                         List<CardLine> cardsWon, String serverSeed, String outcomeBytes, String recipe,
                         String orderHref, String notice, String apiHref, boolean closed) {
    public boolean flip() {
      return "FLIP".equals(game);
    }
  }

  /** One option of a play (a listing), and whether it is the pull's winner. */
  public record Option(long listingId, String title, String value, boolean winner, String href) {
  }

  /** The order page for the buyer's private link. */
  public record OrderPage(String orderId, String shortId, String state, String heading, String detail, String tone,
                          List<CardLine> cards, String total, String refunded, String carrier, String tracking,
                          boolean settling, String selfHref, String playHref) {
  }
}
