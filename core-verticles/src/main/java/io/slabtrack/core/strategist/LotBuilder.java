package io.slabtrack.core.strategist;

import io.slabtrack.core.teams.TeamCities;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Groups lot candidates into lots, by city, then team, then player, then set (with year), then sport: each card joins
 * the first grouping that makes a valid lot for it, so no card is ever in two lots. A group larger than the maximum is
 * split into near-equal lots (30 Dallas cards → 15 + 15); a lot with fewer than the minimum of cards, worth less than
 * the threshold in total, or above the pool's lot ceiling (eBay: $75) isn't proposed and its cards try the next kind.
 * A city lot needs two teams or more (one team's cards are a team lot).
 */
public final class LotBuilder {
  private final LotRules rules;
  private final Long maxTotal;
  private final TeamCities teams = TeamCities.get();

  /** @param maxTotal the most a lot may be worth in total (cents), null for no ceiling */
  public LotBuilder(LotRules rules, Long maxTotal) {
    this.rules = rules;
    this.maxTotal = maxTotal;
  }

  /** A lot before it is numbered. */
  public record Draft(LotKind kind, String label, List<String> chips, List<PortfolioCard> cards) {
    public long total() {
      return cards.stream().mapToLong(PortfolioCard::value).sum();
    }
  }

  public List<Draft> build(List<PortfolioCard> candidates) {
    List<PortfolioCard> left = new ArrayList<>(candidates);
    left.sort(Comparator.comparingLong(PortfolioCard::value).reversed().thenComparingLong(PortfolioCard::id));
    List<Draft> out = new ArrayList<>();
    for (LotKind kind : LotKind.values()) {
      // grouped ignoring case and spacing ("Ja Morant" = "ja  morant"), labelled as the first card spells it
      Map<String, List<PortfolioCard>> groups = new LinkedHashMap<>();
      Map<String, String> labels = new LinkedHashMap<>();
      for (PortfolioCard c : left) {
        String label = key(kind, c);
        if (label != null) {
          String k = label.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
          labels.putIfAbsent(k, label);
          groups.computeIfAbsent(k, x -> new ArrayList<>()).add(c);
        }
      }
      Set<Long> taken = new java.util.HashSet<>();
      groups.forEach((k, cards) -> {
        String label = labels.get(k);
        if (kind == LotKind.CITY && cards.stream().map(this::teamName).distinct().count() < 2) {
          return;
        }
        List<List<PortfolioCard>> chunks = split(cards);
        for (int i = 0; i < chunks.size(); i++) {
          List<PortfolioCard> chunk = chunks.get(i);
          Draft d = new Draft(kind, chunks.size() == 1 ? label : label + " (" + (i + 1) + "/" + chunks.size() + ")",
              chips(kind, chunk), chunk);
          if (valid(d)) {
            out.add(d);
            chunk.forEach(c -> taken.add(c.id()));
          }
        }
      });
      left.removeIf(c -> taken.contains(c.id()));
    }
    return out;
  }

  private boolean valid(Draft d) {
    return d.cards().size() >= rules.minSize() && d.cards().size() <= rules.maxSize()
        && d.total() >= rules.threshold() && (maxTotal == null || d.total() <= maxTotal);
  }

  /**
   * Near-equal chunks of at most maxSize, keeping the value order; under a value ceiling a chunk also closes when
   * the next card would take it over (that card starts the next chunk).
   */
  private List<List<PortfolioCard>> split(List<PortfolioCard> cards) {
    int k = (cards.size() + rules.maxSize() - 1) / rules.maxSize();
    int target = (cards.size() + k - 1) / k;
    List<List<PortfolioCard>> chunks = new ArrayList<>();
    List<PortfolioCard> current = new ArrayList<>();
    long total = 0;
    for (PortfolioCard c : cards) {
      if (!current.isEmpty() && (current.size() == target || (maxTotal != null && total + c.value() > maxTotal))) {
        chunks.add(current);
        current = new ArrayList<>();
        total = 0;
      }
      current.add(c);
      total += c.value();
    }
    if (!current.isEmpty()) {
      chunks.add(current);
    }
    return chunks;
  }

  private String key(LotKind kind, PortfolioCard c) {
    return switch (kind) {
      case CITY -> teams.city(c.team(), c.sport()).orElse(null);
      case TEAM -> teamName(c);
      case PLAYER -> c.player() == null || c.player().isBlank() ? null : c.player().strip();
      case SET -> c.setName() == null || c.year() == null ? null : c.year() + " " + c.setName().strip();
      case SPORT -> c.sport() == null ? null : c.sport().substring(0, 1).toUpperCase(Locale.ROOT) + c.sport().substring(1);
    };
  }

  /** The team as the table spells it, else as the card does. */
  private String teamName(PortfolioCard c) {
    if (c.team() == null || c.team().isBlank()) {
      return null;
    }
    return teams.team(c.team(), c.sport()).map(TeamCities.Team::name).orElse(c.team().strip());
  }

  private List<String> chips(LotKind kind, List<PortfolioCard> cards) {
    Function<PortfolioCard, String> chip = switch (kind) {
      case CITY, TEAM -> this::teamName;
      case PLAYER, SET -> PortfolioCard::player;
      case SPORT -> this::teamName;
    };
    Set<String> out = new LinkedHashSet<>();
    cards.forEach(c -> {
      String v = chip.apply(c);
      if (v != null) {
        out.add(v);
      }
    });
    return new ArrayList<>(out).subList(0, Math.min(out.size(), 6));
  }
}
