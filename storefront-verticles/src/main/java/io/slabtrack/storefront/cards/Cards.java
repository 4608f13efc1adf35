package io.slabtrack.storefront.cards;

import io.slabtrack.cluster.auth.VerifiedToken;
import io.slabtrack.cluster.browse.BrowseCache;
import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.storefront.shops.Shops;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** A shop's cards as buyers read them and as the owner edits them, for the JSON API and the pages alike. */
public final class Cards {
  public static final Set<String> PATCH_FIELDS = Set.of("customPrice", "featured", "hidden");
  private final Pool pool;
  private final BrowseCache cache;

  /** With a small browse cache of its own (the app shares one per node: the other constructor). */
  public Cards(Pool pool) {
    this(pool, new BrowseCache(pool, 8L * 1024 * 1024));
  }

  /** @param cache this node's browse cache */
  public Cards(Pool pool, BrowseCache cache) {
    this.pool = pool;
    this.cache = cache;
  }

  /** One page of the shop's buyable cards. */
  public record Listing(List<StorefrontCard> items, long total, int limit, int offset) {
  }

  /** A page as the browse cache holds it: the cards for the pages and the API's JSON of them, encoded once. */
  public record Page(Listing listing, Buffer json) implements BrowseCache.Weighed {
    @Override
    public int weight() {
      // the decoded cards weigh about twice their JSON
      return json.length() * 3;
    }
  }

  /** What the shop's filters can offer: the graders and years among its buyable cards. */
  public record Facets(List<String> graders, List<String> years) implements BrowseCache.Weighed {
    @Override
    public int weight() {
      return 64 * (graders.size() + years.size() + 1);
    }
  }

  /**
   * @param filters the API's query names ({@code player, set, year, gradingCompany, grade, minPrice, maxPrice,
   *                featured, q, limit, offset}); a malformed one is a 400 naming it
   * @return 404 when the shop is unknown
   */
  public Future<Listing> browse(String slug, MultiMap filters) {
    return page(slug, filters).map(Page::listing);
  }

  /** The same page with its API JSON ({@code items, total, limit, offset}), from this node's browse cache. */
  public Future<Page> page(String slug, MultiMap filters) {
    CardQuery query = CardQuery.of(slug, filters);
    return cache.current(slug).compose(at -> page(slug, query, at));
  }

  /** As {@link #browse(String, MultiMap)}, at the shop's version this request read already (the shop page). */
  public Future<Listing> browse(String slug, MultiMap filters, BrowseCache.Scope at) {
    return page(slug, CardQuery.of(slug, filters), at).map(Page::listing);
  }

  private Future<Page> page(String slug, CardQuery query, BrowseCache.Scope at) {
    return cache.at(slug, at, query.key(), scope -> Shops.get(pool, slug).compose(shop -> read(slug, query)));
  }

  /** This node's browse cache, which the shop page's answers share. */
  public BrowseCache cache() {
    return cache;
  }

  /**
   * Unfiltered: the page cut off the browse index at its LIMIT, the total counted off the same index (not the rows
   * and their snapshots). Filtered: the matches counted with the page, as the filters read every candidate anyway.
   * Either way once per version of the shop and page.
   */
  private Future<Page> read(String slug, CardQuery query) {
    Future<Long> known = query.filtered() ? Future.succeededFuture(null)
        : pool.preparedQuery(CardSql.BUYABLE_COUNT).execute(Tuple.of(slug)).map(r -> r.iterator().next().getLong(0));
    return known.compose(count -> pool.preparedQuery(query.sql(count == null)).execute(query.pageArgs()).map(rows -> {
      List<StorefrontCard> items = new ArrayList<>();
      long total = count == null ? 0 : count;
      JsonArray json = new JsonArray();
      for (Row r : rows) {
        StorefrontCard card = StorefrontCard.of(r);
        items.add(card);
        json.add(card.publicJson());
        if (count == null) {
          total = r.getLong("total");
        }
      }
      Buffer encoded = new JsonObject().put("items", json).put("total", total).put("limit", query.limit())
          .put("offset", query.offset()).toBuffer();
      return new Page(new Listing(items, total, query.limit(), query.offset()), encoded);
    }));
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
    return cache.current(slug).compose(at -> facets(slug, at));
  }

  /** The facets at the shop's version this request read already. */
  public Future<Facets> facets(String slug, BrowseCache.Scope at) {
    return cache.at(slug, at, "facets", scope -> readFacets(slug));
  }

  private Future<Facets> readFacets(String slug) {
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

  /** Everything in the shop, hidden cards too (not sold ones), for the owner's pages; 403 for strangers. */
  public Future<List<StorefrontCard>> forOwner(String slug, VerifiedToken who) {
    return Shops.get(pool, slug).compose(shop -> {
      shop.requireAccess(who);
      return pool.preparedQuery(CardSql.OWNER_LIST).execute(Tuple.of(slug));
    }).map(rows -> {
      List<StorefrontCard> out = new ArrayList<>();
      rows.forEach(r -> out.add(StorefrontCard.of(r)));
      return out;
    });
  }

  /**
   * The owner's edit of one card ({@code customPrice} whole cents or null to clear it, {@code featured},
   * {@code hidden}), for the API and the owner's pages alike: access first, then the row locked and updated.
   */
  public Future<StorefrontCard> patch(String slug, long cardId, VerifiedToken who, JsonObject body) {
    for (String key : body.fieldNames()) {
      if (!PATCH_FIELDS.contains(key)) {
        throw ApiErrors.invalidField(key, "unknown field " + key + "; use " + PATCH_FIELDS);
      }
    }
    if (body.containsKey("customPrice") && body.getValue("customPrice") != null
        && !(body.getValue("customPrice") instanceof Number n && n.longValue() >= 0
        && n.doubleValue() == n.longValue())) {
      throw ApiErrors.invalidField("customPrice", "customPrice must be whole cents >= 0, or null to clear it");
    }
    for (String flag : new String[] {"featured", "hidden"}) {
      if (body.containsKey(flag) && !(body.getValue(flag) instanceof Boolean)) {
        throw ApiErrors.invalidField(flag, flag + " must be true or false");
      }
    }
    return pool.withTransaction(tx -> Shops.get(tx, slug).compose(shop -> {
      shop.requireAccess(who);
      return tx.preparedQuery(CardSql.ONE_IN_SHOP + " FOR UPDATE").execute(Tuple.of(slug, cardId));
    }).compose(rows -> {
      if (!rows.iterator().hasNext()) {
        throw ApiErrors.notFound("Card");
      }
      StorefrontCard card = StorefrontCard.of(rows.iterator().next());
      String status = card.status();
      if (body.containsKey("hidden")) {
        if ("sold".equals(status)) {
          throw ApiErrors.conflict("sold", "This card is sold");
        }
        status = body.getBoolean("hidden") ? "hidden" : "active";
      }
      Long customPrice = body.containsKey("customPrice")
          ? (body.getValue("customPrice") == null ? null : body.getLong("customPrice"))
          : card.customPrice();
      boolean featured = body.containsKey("featured") ? body.getBoolean("featured") : card.featured();
      return tx.preparedQuery(CardSql.OWNER_UPDATE).execute(Tuple.of(slug, cardId, customPrice, featured, status));
    })).map(rows -> StorefrontCard.of(rows.iterator().next()));
  }
}
