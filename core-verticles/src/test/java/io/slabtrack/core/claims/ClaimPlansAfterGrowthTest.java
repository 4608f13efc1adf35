package io.slabtrack.core.claims;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.slabtrack.cluster.testing.Poll;
import io.slabtrack.cluster.testing.QueryPlans;
import io.slabtrack.core.CoreFixture;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A claim group's first statement, once the inventory grew: on a server without autovacuum (as here) nothing else
 * would ever analyze the tables, and PostgreSQL would read every channel row of the inventory for each group (a hash
 * join, because it guesses 0.5 % of a never-analyzed table matches a card). Core's table upkeep analyzes them, so the
 * statement goes back to the primary key — the claims' cost stays flat in the inventory's size.
 */
class ClaimPlansAfterGrowthTest {
  @RegisterExtension
  static final CoreFixture core = CoreFixture.perClass();

  @Test
  void aClaimGroupReadsItsCardsByKeyAfterTheInventoryGrew() throws Exception {
    // with autovacuum on, the server analyzes on its own schedule (a minute apart) and the upkeep stands aside
    assumeTrue("off".equals(core.sql("SHOW autovacuum").iterator().next().getString(0)),
        "the server runs autovacuum: core's table upkeep is not what analyzes the tables there");
    // 30,000 cards on two channels, in one go as imports and commits would write them
    core.sql("WITH c AS (INSERT INTO cards (owner_id, player, asking_price)"
        + " SELECT 'growth', 'Growth ' || g, 2500 FROM generate_series(1, 30000) g RETURNING id)"
        + " INSERT INTO card_channels (card_id, channel, status, shop)"
        + " SELECT c.id, ch, 'active', CASE WHEN ch = 'storefront' THEN 'growth-shop' END"
        + " FROM c, unnest(ARRAY['thisorthat', 'storefront']) ch");
    List<Long> group = new ArrayList<>();
    for (Row r : core.sql("SELECT id FROM cards WHERE owner_id = 'growth' ORDER BY id DESC LIMIT 64")) {
      group.add(r.getLong(0));
    }
    String literal = "'{" + String.join(",", group.stream().map(String::valueOf).toList()) + "}'";
    String explain = "EXPLAIN " + ClaimSql.DECISIONS_AND_CARDS.replace("$1::bigint[]", literal + "::bigint[]")
        .replace("$2::text[]", "'{growth-claim}'::text[]");

    String plan = Poll.until("the claim group's lookup by key", Duration.ofSeconds(30),
        () -> QueryPlans.text(core.sql(explain)), p -> !p.contains("Seq Scan on card_channels"));

    assertThat(plan).contains("card_channels_pkey").doesNotContain("Seq Scan on cards")
        .doesNotContain("Seq Scan on sale_claims");
  }
}
