package io.slabtrack.core.demo;

import io.slabtrack.core.cards.CardField;
import io.slabtrack.core.cards.CardInput;
import io.slabtrack.core.cards.CardSql;
import io.slabtrack.core.channels.Channel;
import io.slabtrack.core.channels.EngageRequest;
import io.slabtrack.core.channels.Engagements;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dev-mode demo inventory: fifteen graded cards with comps, some listed on ThisOrThat (six singles, three of them
 * under $15, and a lot) and on the {@code demo} storefront. Seeds once; a later start only tops the demo shop back up to {@link #SHOP_STOCK} listed
 * cards (fresh copies of the demo cards under new cert numbers), so a person can buy there after any number of
 * restarts and purchases.
 */
public final class DemoSeed {
  /** Owner when the demo operator account is missing (it is seeded first, by the login feature). */
  public static final String FALLBACK_OWNER = "demo-operator";
  public static final String SHOP = "demo";
  /** Listed cards the demo shop is topped up to on every dev start. */
  public static final int SHOP_STOCK = 3;
  private static final Logger LOG = LoggerFactory.getLogger(DemoSeed.class);
  private static final String ACTIVE_IN_SHOP = """
      SELECT count(*) AS n FROM card_channels WHERE channel = 'storefront' AND shop = $1 AND status = 'active'""";

  private final Pool pool;
  private final Engagements engagements;

  public DemoSeed(Pool pool, Engagements engagements) {
    this.pool = pool;
    this.engagements = engagements;
  }

  private static JsonObject card(String player, int year, String set, String number, String parallel, String grader,
                                 double grade, String cert, long asking, Long comp, Long raw, Long ebayAvg, int daysOld) {
    String gradeKey = grader.equals("PSA") ? "sportscardsproPsa" + (int) grade : "sportscardspro" + grader.charAt(0)
        + grader.substring(1).toLowerCase() + (int) grade;
    JsonObject c = new JsonObject().put("player", player).put("year", year).put("setName", set)
        .put("cardNumber", number).put("parallel", parallel).put("gradingCompany", grader).put("grade", grade)
        .put("certNumber", cert).put("askingPrice", asking).put("sportscardsproRaw", raw).put("ebayAvg", ebayAvg)
        .put("frontImageUrl", "https://images.example.test/" + cert + "-front.jpg")
        .put("backImageUrl", "https://images.example.test/" + cert + "-back.jpg")
        .put("frontImageThumb", "https://images.example.test/" + cert + "-thumb.jpg")
        .put("compsRefreshedAt", Instant.now().minus(daysOld, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString());
    if (comp != null && CardField.byJson(gradeKey) != null) {
      c.put(gradeKey, comp);
    }
    if (ebayAvg != null) {
      c.put("ebayLow", ebayAvg * 8 / 10).put("ebayHigh", ebayAvg * 13 / 10).put("ebaySampleSize", 14);
    }
    return c;
  }

  static List<JsonObject> cards() {
    return List.of(
        card("Mike Trout", 2011, "Topps Update", "US175", null, "PSA", 10, "41287733", 650000L, 620000L, 45000L, 598000L, 3),
        card("Shohei Ohtani", 2018, "Topps Chrome Update", "HMT1", null, "PSA", 10, "52019446", 89900L, 84000L, 9500L, 86000L, 5),
        card("Luka Doncic", 2018, "Panini Prizm", "280", "Silver", "PSA", 10, "48810032", 240000L, 235000L, 30000L, 229000L, 2),
        card("Patrick Mahomes II", 2017, "Panini Prizm", "269", null, "PSA", 9, "39002117", 42500L, 41000L, 9000L, 40000L, 12),
        card("Ja Morant", 2019, "Panini Prizm", "249", null, "PSA", 10, "55720984", 12500L, 11900L, 2200L, 12100L, 1),
        card("Justin Herbert", 2020, "Panini Donruss Optic", "153", "Rated Rookie", "PSA", 10, "60113455", 4800L, 4500L, 900L, 4700L, 6),
        card("Julio Rodriguez", 2022, "Topps Chrome", "81", null, "PSA", 10, "71234098", 3900L, 3600L, 700L, 3800L, 9),
        card("Victor Wembanyama", 2023, "Panini Prizm", "136", null, "PSA", 10, "80456721", 29900L, 31000L, 5500L, 30500L, 4),
        card("Connor Bedard", 2023, "Upper Deck Young Guns", "201", null, "BGS", 9.5, "0012845563", 21000L, null, 16000L, 19800L, 45),
        card("Anthony Edwards", 2020, "Panini Prizm", "258", null, "SGC", 10, "1453327", 11000L, 10500L, 2500L, 10800L, 8),
        card("Tom Brady", 2000, "Bowman", "236", null, "PSA", 8, "27750091", 165000L, 160000L, 40000L, 158000L, 20),
        card("Caitlin Clark", 2024, "Panini Prizm WNBA", "22", null, "PSA", 10, "90871234", 2500L, 6000L, 800L, 5900L, 2),
        // three under $15: on ThisOrThat they can only be pulled (or flipped in a cart), never flipped alone
        card("Bo Nix", 2024, "Panini Prizm", "301", null, "PSA", 9, "91234501", 900L, 950L, 300L, 920L, 3),
        card("Jackson Holliday", 2024, "Topps Chrome", "55", null, "PSA", 10, "91234502", 1200L, 1150L, 400L, 1180L, 4),
        card("Brock Bowers", 2024, "Donruss Optic", "210", null, "PSA", 10, "91234503", 1400L, 1350L, 350L, 1380L, 7));
  }

  /** @param operatorEmail the demo operator's sign-in address: the cards are theirs */
  public Future<Void> seed(String operatorEmail) {
    return pool.preparedQuery(CardSql.OWNER_BY_EMAIL).execute(Tuple.of(operatorEmail))
        .map(rows -> rows.size() == 0 ? FALLBACK_OWNER : rows.iterator().next().getString("owner"))
        .compose(owner -> pool.preparedQuery(CardSql.COUNT_BY_OWNER).execute(Tuple.of(owner))
            .compose(rows -> rows.iterator().next().getLong("n") > 0 ? topUpShop(owner)
                : insertAndEngage(owner)));
  }

  /** Lists fresh copies of demo cards on the demo shop until it holds {@link #SHOP_STOCK} again. */
  private Future<Void> topUpShop(String owner) {
    return pool.preparedQuery(ACTIVE_IN_SHOP).execute(Tuple.of(SHOP)).compose(rows -> {
      int missing = SHOP_STOCK - (int) rows.iterator().next().getLong("n").longValue();
      if (missing <= 0) {
        return Future.succeededFuture();
      }
      List<JsonObject> copies = new ArrayList<>();
      List<JsonObject> originals = cards();
      for (int i = 0; i < missing; i++) {
        JsonObject copy = originals.get(ThreadLocalRandom.current().nextInt(originals.size()))
            .copy();
        // a new slab of the same card: a cert number no other card has (grader + cert is unique)
        copy.put("certNumber", "9" + String.format("%09d",
            ThreadLocalRandom.current().nextLong(1_000_000_000L)));
        copies.add(copy);
      }
      return insert(copies, owner).compose(ids -> engagements.engage(ids.stream()
              .map(id -> new EngageRequest(id, Channel.STOREFRONT, null, SHOP, null)).toList(), true))
          .onSuccess(x -> LOG.info("demo shop topped up with {} cards", missing))
          .mapEmpty();
    });
  }

  private Future<Void> insertAndEngage(String owner) {
    return insert(cards(), owner)
        .compose(ids -> ids.size() < cards().size() ? Future.succeededFuture() : engagements.engage(List.of(
            new EngageRequest(ids.get(1), Channel.THISORTHAT, null, null, null),
            new EngageRequest(ids.get(1), Channel.STOREFRONT, 92500L, SHOP, null),
            new EngageRequest(ids.get(3), Channel.STOREFRONT, null, SHOP, null),
            new EngageRequest(ids.get(4), Channel.THISORTHAT, null, null, null),
            new EngageRequest(ids.get(5), Channel.THISORTHAT, null, null, "young-guns"),
            new EngageRequest(ids.get(6), Channel.THISORTHAT, null, null, "young-guns"),
            new EngageRequest(ids.get(7), Channel.STOREFRONT, null, SHOP, null),
            new EngageRequest(ids.get(9), Channel.EBAY, null, null, null),
            new EngageRequest(ids.get(10), Channel.SHOWCASE, null, null, null),
            new EngageRequest(ids.get(11), Channel.THISORTHAT, null, null, null),
            new EngageRequest(ids.get(12), Channel.THISORTHAT, null, null, null),
            new EngageRequest(ids.get(13), Channel.THISORTHAT, null, null, null),
            new EngageRequest(ids.get(14), Channel.THISORTHAT, null, null, null)), true).mapEmpty())
        .onSuccess(x -> LOG.info("demo inventory seeded for owner {}", owner)).mapEmpty();
  }

  /** Inserts the cards with their personal rows in one transaction; returns their ids in order. */
  private Future<List<Long>> insert(List<JsonObject> cards, String owner) {
    JsonArray records = new JsonArray();
    cards.forEach(c -> records.add(CardInput.toRecord(CardInput.forCreate(c))));
    return pool.withTransaction(tx -> tx.preparedQuery(CardSql.insertFromJson(allButBooleans()))
            .execute(Tuple.of(records, owner))
            .compose(inserted -> {
              List<Long> ids = new ArrayList<>();
              for (Row r : inserted) {
                ids.add(r.getLong("id"));
              }
              return tx.preparedQuery(CardSql.INSERT_PERSONAL_ROWS).execute(Tuple.of((Object) ids.toArray(new Long[0])))
                  .map(ids);
            }));
  }

  private static List<CardField> allButBooleans() {
    return CardField.all().stream().filter(f -> f.kind != CardField.Kind.BOOL).toList();
  }
}
