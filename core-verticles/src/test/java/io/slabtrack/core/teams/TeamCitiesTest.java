package io.slabtrack.core.teams;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The team → city table against each league's own list of teams, and how cards' spellings resolve. */
class TeamCitiesTest {
  private static final Map<String, List<String>> LEAGUES = Map.of(
      "MLB", List.of("Arizona Diamondbacks", "Atlanta Braves", "Baltimore Orioles", "Boston Red Sox", "Chicago Cubs",
          "Chicago White Sox", "Cincinnati Reds", "Cleveland Guardians", "Colorado Rockies", "Detroit Tigers",
          "Houston Astros", "Kansas City Royals", "Los Angeles Angels", "Los Angeles Dodgers", "Miami Marlins",
          "Milwaukee Brewers", "Minnesota Twins", "New York Mets", "New York Yankees", "Athletics",
          "Philadelphia Phillies", "Pittsburgh Pirates", "San Diego Padres", "San Francisco Giants", "Seattle Mariners",
          "St. Louis Cardinals", "Tampa Bay Rays", "Texas Rangers", "Toronto Blue Jays", "Washington Nationals"),
      "NBA", List.of("Atlanta Hawks", "Boston Celtics", "Brooklyn Nets", "Charlotte Hornets", "Chicago Bulls",
          "Cleveland Cavaliers", "Dallas Mavericks", "Denver Nuggets", "Detroit Pistons", "Golden State Warriors",
          "Houston Rockets", "Indiana Pacers", "LA Clippers", "Los Angeles Lakers", "Memphis Grizzlies", "Miami Heat",
          "Milwaukee Bucks", "Minnesota Timberwolves", "New Orleans Pelicans", "New York Knicks",
          "Oklahoma City Thunder", "Orlando Magic", "Philadelphia 76ers", "Phoenix Suns", "Portland Trail Blazers",
          "Sacramento Kings", "San Antonio Spurs", "Toronto Raptors", "Utah Jazz", "Washington Wizards"),
      "NFL", List.of("Arizona Cardinals", "Atlanta Falcons", "Baltimore Ravens", "Buffalo Bills", "Carolina Panthers",
          "Chicago Bears", "Cincinnati Bengals", "Cleveland Browns", "Dallas Cowboys", "Denver Broncos", "Detroit Lions",
          "Green Bay Packers", "Houston Texans", "Indianapolis Colts", "Jacksonville Jaguars", "Kansas City Chiefs",
          "Las Vegas Raiders", "Los Angeles Chargers", "Los Angeles Rams", "Miami Dolphins", "Minnesota Vikings",
          "New England Patriots", "New Orleans Saints", "New York Giants", "New York Jets", "Philadelphia Eagles",
          "Pittsburgh Steelers", "San Francisco 49ers", "Seattle Seahawks", "Tampa Bay Buccaneers", "Tennessee Titans",
          "Washington Commanders"),
      "NHL", List.of("Anaheim Ducks", "Boston Bruins", "Buffalo Sabres", "Calgary Flames", "Carolina Hurricanes",
          "Chicago Blackhawks", "Colorado Avalanche", "Columbus Blue Jackets", "Dallas Stars", "Detroit Red Wings",
          "Edmonton Oilers", "Florida Panthers", "Los Angeles Kings", "Minnesota Wild", "Montreal Canadiens",
          "Nashville Predators", "New Jersey Devils", "New York Islanders", "New York Rangers", "Ottawa Senators",
          "Philadelphia Flyers", "Pittsburgh Penguins", "San Jose Sharks", "Seattle Kraken", "St. Louis Blues",
          "Tampa Bay Lightning", "Toronto Maple Leafs", "Utah Mammoth", "Vancouver Canucks", "Vegas Golden Knights",
          "Washington Capitals", "Winnipeg Jets"));

  private final TeamCities table = TeamCities.get();

  @Test
  void everyLeagueIsCompleteAndEveryTeamHasACity() {
    Map<String, List<String>> byLeague = table.teams().stream().collect(Collectors.groupingBy(TeamCities.Team::league,
        Collectors.mapping(TeamCities.Team::name, Collectors.toList())));
    assertThat(byLeague.keySet()).containsExactlyInAnyOrder("MLB", "NBA", "NFL", "NHL");
    assertThat(LEAGUES.get("MLB")).hasSize(30);
    assertThat(LEAGUES.get("NBA")).hasSize(30);
    assertThat(LEAGUES.get("NFL")).hasSize(32);
    assertThat(LEAGUES.get("NHL")).hasSize(32);
    LEAGUES.forEach((league, teams) -> assertThat(byLeague.get(league)).as(league)
        .containsExactlyInAnyOrderElementsOf(teams));
    assertThat(table.teams()).allSatisfy(t -> {
      assertThat(t.city()).as(t.name()).isNotBlank();
      assertThat(t.nickname()).as(t.name()).isNotBlank();
      assertThat(t.name()).as("the nickname ends the name").endsWith(t.nickname());
    });
    // every team resolves by its own name within its league
    table.teams().forEach(t -> assertThat(table.team(t.name(), sportOf(t.league()))).contains(t));
  }

  @Test
  void cardsSpellingsResolveToTheirCity() {
    assertThat(table.city("Dallas Cowboys", null)).contains("Dallas");
    assertThat(table.city("Texas Rangers", "baseball")).contains("Dallas");
    assertThat(table.city("dallas   mavericks", "basketball")).contains("Dallas");
    assertThat(table.city("Cowboys", null)).contains("Dallas");
    assertThat(table.city("St Louis Cardinals", "baseball")).contains("St. Louis");
    assertThat(table.city("Montréal Canadiens", null)).contains("Montreal");
    assertThat(table.city("Cleveland Indians", null)).contains("Cleveland");
    // a nickname two leagues share resolves only with the card's sport
    assertThat(table.city("Rangers", null)).isEmpty();
    assertThat(table.city("Rangers", "hockey")).contains("New York");
    assertThat(table.city("Rangers", "baseball")).contains("Dallas");
    assertThat(table.city("Cardinals", "football")).contains("Phoenix");
    // a full name in another sport's league is not that sport's team
    assertThat(table.city("Dallas Cowboys", "hockey")).isEmpty();
    assertThat(table.city("FC Barcelona", "soccer")).isEmpty();
    assertThat(table.city(null, null)).isEmpty();
  }

  private static String sportOf(String league) {
    return switch (league) {
      case "MLB" -> "baseball";
      case "NBA" -> "basketball";
      case "NFL" -> "football";
      default -> "hockey";
    };
  }
}
