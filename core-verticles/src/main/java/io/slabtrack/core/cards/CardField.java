package io.slabtrack.core.cards;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The operator-editable fields of a card: JSON name (camelCase), column (snake_case) and kind. One table drives
 * input validation, inserts, patches and the JSON of a card, so a new field is added in one place.
 */
public enum CardField {
  CONSIGNOR("consignor", "consignor", Kind.TEXT),
  PLAYER("player", "player", Kind.TEXT),
  YEAR("year", "year", Kind.YEAR),
  SET_NAME("setName", "set_name", Kind.TEXT),
  CARD_NUMBER("cardNumber", "card_number", Kind.TEXT),
  PARALLEL("parallel", "parallel", Kind.TEXT),
  SPORT("sport", "sport", Kind.SPORT),
  TEAM("team", "team", Kind.TEXT),
  GRADING_COMPANY("gradingCompany", "grading_company", Kind.GRADER),
  GRADE("grade", "grade", Kind.GRADE),
  CERT_NUMBER("certNumber", "cert_number", Kind.TEXT),
  FRONT_IMAGE_URL("frontImageUrl", "front_image_url", Kind.URL),
  BACK_IMAGE_URL("backImageUrl", "back_image_url", Kind.URL),
  FRONT_IMAGE_THUMB("frontImageThumb", "front_image_thumb", Kind.URL),
  ASKING_PRICE("askingPrice", "asking_price", Kind.CENTS),
  PSA10("sportscardsproPsa10", "sportscardspro_psa10", Kind.CENTS),
  PSA9("sportscardsproPsa9", "sportscardspro_psa9", Kind.CENTS),
  PSA8("sportscardsproPsa8", "sportscardspro_psa8", Kind.CENTS),
  PSA7("sportscardsproPsa7", "sportscardspro_psa7", Kind.CENTS),
  BGS10("sportscardsproBgs10", "sportscardspro_bgs10", Kind.CENTS),
  CGC10("sportscardsproCgc10", "sportscardspro_cgc10", Kind.CENTS),
  SGC10("sportscardsproSgc10", "sportscardspro_sgc10", Kind.CENTS),
  RAW("sportscardsproRaw", "sportscardspro_raw", Kind.CENTS),
  EBAY_AVG("ebayAvg", "ebay_avg", Kind.CENTS),
  EBAY_LOW("ebayLow", "ebay_low", Kind.CENTS),
  EBAY_HIGH("ebayHigh", "ebay_high", Kind.CENTS),
  EBAY_SAMPLE_SIZE("ebaySampleSize", "ebay_sample_size", Kind.COUNT),
  COMPS_REFRESHED_AT("compsRefreshedAt", "comps_refreshed_at", Kind.INSTANT),
  IS_KEEPER("isKeeper", "is_keeper", Kind.BOOL),
  PULL_ELIGIBLE("pullEligible", "pull_eligible", Kind.BOOL),
  FLIP_ELIGIBLE("flipEligible", "flip_eligible", Kind.BOOL);

  /** Value kinds; the SQL type is what jsonb_to_recordset and casts use. */
  public enum Kind {
    TEXT("text"), URL("text"), GRADER("text"), SPORT("text"), YEAR("int"), GRADE("numeric"), CENTS("bigint"), COUNT("int"),
    INSTANT("timestamptz"), BOOL("boolean");

    public final String sqlType;

    Kind(String sqlType) {
      this.sqlType = sqlType;
    }
  }

  public final String json;
  public final String column;
  public final Kind kind;

  CardField(String json, String column, Kind kind) {
    this.json = json;
    this.column = column;
    this.kind = kind;
  }

  private static final Map<String, CardField> BY_JSON =
      Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(f -> f.json, Function.identity()));

  public static CardField byJson(String name) {
    return BY_JSON.get(name);
  }

  public static List<CardField> all() {
    return List.of(values());
  }

  /** Fields whose change is visible to buyers: a change to one of them on an engaged card publishes an update. */
  public boolean published() {
    return this != CONSIGNOR && this != IS_KEEPER;
  }
}
