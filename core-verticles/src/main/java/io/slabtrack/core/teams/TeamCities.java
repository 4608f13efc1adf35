package io.slabtrack.core.teams;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * The team → city table of MLB, NBA, NFL and NHL ({@code teams/north-american-teams.csv}), read once per JVM. A card's
 * team is matched by full name or earlier name, ignoring case, accents and punctuation ("St Louis Cardinals"), or by
 * nickname alone ("Cowboys") when that names one team — within the card's sport's league when it has one, since
 * "Rangers" or "Giants" name a team in two leagues.
 */
public final class TeamCities {
  public static final String RESOURCE = "teams/north-american-teams.csv";

  /** One team of the table. */
  public record Team(String league, String name, String nickname, String city, List<String> aliases) {
  }

  private static final TeamCities INSTANCE = load();

  private static final int CACHE_LIMIT = 50_000;

  private final List<Team> teams;
  /** Cards repeat the same few hundred spellings: each is normalised once (cleared if operators type too many). */
  private final Map<String, Optional<Team>> resolved = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, Team> byName = new HashMap<>();
  /** nickname → teams of that nickname, per league and under "" for all leagues */
  private final Map<String, Map<String, List<Team>>> byNickname = new HashMap<>();

  private TeamCities(List<Team> teams) {
    this.teams = List.copyOf(teams);
    for (Team t : teams) {
      byName.put(key(t.name()), t);
      t.aliases().forEach(a -> byName.put(key(a), t));
      Map<String, List<Team>> leagues = byNickname.computeIfAbsent(key(t.nickname()), k -> new HashMap<>());
      leagues.computeIfAbsent("", k -> new ArrayList<>()).add(t);
      leagues.computeIfAbsent(t.league(), k -> new ArrayList<>()).add(t);
    }
  }

  public static TeamCities get() {
    return INSTANCE;
  }

  public List<Team> teams() {
    return teams;
  }

  /** The league of a card's sport (MLB for baseball…), empty for sports without one in the table. */
  public static Optional<String> leagueOf(String sport) {
    if (sport == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(switch (sport) {
      case "baseball" -> "MLB";
      case "basketball" -> "NBA";
      case "football" -> "NFL";
      case "hockey" -> "NHL";
      default -> null;
    });
  }

  /** The team a card names, if the table knows exactly one. */
  public Optional<Team> team(String team, String sport) {
    if (team == null || team.isBlank()) {
      return Optional.empty();
    }
    String cacheKey = team + '\u0000' + sport;
    Optional<Team> known = resolved.get(cacheKey);
    if (known != null) {
      return known;
    }
    if (resolved.size() > CACHE_LIMIT) {
      resolved.clear();
    }
    Optional<Team> found = resolve(team, sport);
    resolved.put(cacheKey, found);
    return found;
  }

  private Optional<Team> resolve(String team, String sport) {
    String k = key(team);
    Optional<String> league = leagueOf(sport);
    Team full = byName.get(k);
    if (full != null && (league.isEmpty() || league.get().equals(full.league()))) {
      return Optional.of(full);
    }
    List<Team> nick = byNickname.getOrDefault(k, Map.of()).getOrDefault(league.orElse(""), List.of());
    return nick.size() == 1 ? Optional.of(nick.get(0)) : Optional.empty();
  }

  /** The city of a card's team, if the table knows the team. */
  public Optional<String> city(String team, String sport) {
    return team(team, sport).map(Team::city);
  }

  static String key(String s) {
    String plain = Normalizer.normalize(s, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
    return plain.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", " ").strip();
  }

  private static TeamCities load() {
    try (InputStream in = TeamCities.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " missing from the classpath");
      }
      CSVFormat format = CSVFormat.DEFAULT.builder().setCommentMarker('#').setHeader().setSkipHeaderRecord(true)
          .setTrim(true).setIgnoreEmptyLines(true).get();
      List<Team> teams = new ArrayList<>();
      for (CSVRecord r : format.parse(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String aliases = r.get("aliases");
        teams.add(new Team(r.get("league"), r.get("team"), r.get("nickname"), r.get("city"),
            aliases.isEmpty() ? List.of() : List.of(aliases.split(";"))));
      }
      return new TeamCities(teams);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
