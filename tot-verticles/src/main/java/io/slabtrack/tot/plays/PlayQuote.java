package io.slabtrack.tot.plays;

import io.slabtrack.cluster.http.ApiException;
import io.slabtrack.tot.fairness.Fairness;
import io.slabtrack.tot.listings.SpreadPolicy;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * What a flip cart or a pull tray would cost right now, by the very rules a commit applies ({@link PlayRules}): the
 * exact cents, or the API's 422 saying why it can't be played. Nothing is locked or stored; the commit checks again.
 */
public final class PlayQuote {
  private final Pool pool;
  private final SpreadPolicy spreads;

  public PlayQuote(Pool pool, SpreadPolicy spreads) {
    this.pool = pool;
    this.spreads = spreads;
  }

  /**
   * A priced play, or the reason it can't be played ({@code problem}, the API's message; prices null).
   *
   * @param cardValue the total (flip) or the sum of the options (pull)
   */
  public record Quote(String game, long cardValue, BigDecimal spread, Long winPrice, Long losePrice, Long pullPrice,
                      String problem) {
    public boolean playable() {
      return problem == null;
    }
  }

  /** @param game {@code FLIP} or {@code PULL} */
  public Future<Quote> quote(String game, List<Long> listingIds) {
    if (listingIds.isEmpty()) {
      return Future.succeededFuture(new Quote(game, 0, null, null, null, null, "Nothing to play yet"));
    }
    return pool.preparedQuery(PlaysSql.OPTIONS).execute(Tuple.of((Object) listingIds.toArray(new Long[0])))
        .map(rows -> {
          List<PlayRules.Option> options = new ArrayList<>();
          rows.forEach(r -> options.add(option(r)));
          try {
            PlayRules.Priced p = game.equals("FLIP") ? PlayRules.flip(listingIds, options, spreads)
                : PlayRules.pull(listingIds, options);
            return new Quote(game, p.cardValue(), p.spread(), p.winPrice(), p.losePrice(), p.pullPrice(), null);
          } catch (ApiException e) {
            // the numbers still show beside the reason: what the tray averages and what it would cost
            List<Long> values = options.stream().map(PlayRules.Option::cardValue).toList();
            long total = values.stream().mapToLong(Long::longValue).sum();
            Long pull = game.equals("PULL") && !values.isEmpty() ? Fairness.pullPrice(values) : null;
            return new Quote(game, total, null, null, null, pull, e.getMessage());
          }
        });
  }

  /** A row of {@link PlaysSql#OPTIONS} as the rules see it. */
  static PlayRules.Option option(Row r) {
    return new PlayRules.Option(r.getLong("id"), r.getString("status"), r.getLong("card_value"),
        r.getBigDecimal("spread"), r.getBoolean("flip_eligible"), r.getBoolean("pull_eligible"),
        List.of(r.getArrayOfLongs("card_ids")));
  }
}
