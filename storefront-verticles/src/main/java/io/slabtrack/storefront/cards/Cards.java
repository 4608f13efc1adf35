package io.slabtrack.storefront.cards;

import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.storefront.shops.Shops;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** What buyers read of a shop's cards, for the JSON API and the shop's pages alike. */
public final class Cards {
  private final Pool pool;

  public Cards(Pool pool) {
    this.pool = pool;
  }

  /** One page of the shop's buyable cards. */
  public record Listing(List<StorefrontCard> items, long total, int limit, int offset) {
  }

  /** What the shop's filters can offer: the graders and years among its buyable cards. */
  public record Facets(List<String> graders, List<String> years) {
  }

  /**
   * @param filters the API's query names ({@code player, set, year, gradingCompany, grade, minPrice, maxPrice,
   *                featured, q, limit, offset}); a malformed one is a 400 naming it
   * @return 404 when the shop is unknown
   */
  public Future<Listing> browse(String slug, MultiMap filters) {
    CardQuery query = CardQuery.of(slug, filters);
    return Shops.get(pool, slug)
        .compose(shop -> pool.preparedQuery(query.sql()).execute(query.args()))
        .map(rows -> {
          List<StorefrontCard> items = new ArrayList<>();
          long total = 0;
          for (Row r : rows) {
            items.add(StorefrontCard.of(r));
            total = r.getLong("total");
          }
          return new Listing(items, total, query.limit(), query.offset());
        });
  }

  /** A card a buyer may look at: buyable, or sold (its page says so); anything else is 404. */
  public Future<StorefrontCard> detail(String slug, long cardId) {
    return pool.preparedQuery(CardSql.ONE_IN_SHOP).execute(Tuple.of(slug, cardId)).map(rows -> {
      StorefrontCard card = rows.iterator().hasNext() ? StorefrontCard.of(rows.iterator().next()) : null;
      if (card == null || !(card.buyable() || "sold".equals(card.status()))) {
        throw ApiErrors.notFound("Card");
      }
      return card;
    });
  }

  /** The shop's rows for these ids whatever their state (a cart flags what sold or left meanwhile). */
  public Future<List<StorefrontCard>> inShop(String slug, List<Long> cardIds) {
    if (cardIds.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return pool.preparedQuery(CardSql.MANY_IN_SHOP).execute(Tuple.of(slug).addArrayOfLong(cardIds.toArray(new Long[0])))
        .map(rows -> {
          List<StorefrontCard> out = new ArrayList<>();
          rows.forEach(r -> out.add(StorefrontCard.of(r)));
          return out;
        });
  }

  public Future<Facets> facets(String slug) {
    return pool.preparedQuery(CardSql.FACETS).execute(Tuple.of(slug)).map(rows -> {
      List<String> graders = new ArrayList<>();
      List<String> years = new ArrayList<>();
      rows.forEach(r -> {
        List<String> into = "grader".equals(r.getString("kind")) ? graders : years;
        into.add(r.getString("value"));
      });
      return new Facets(graders, years);
    });
  }
}
