package io.slabtrack.cluster.web;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A card's words from core's snapshot as every app's pages show them: the title a collector reads first, the
 * grade, and image URLs only when they are http(s) (anything else is dropped and a placeholder shows).
 */
public final class CardWords {
  private static final String[] TITLE = {"year", "setName", "player", "cardNumber"};

  private CardWords() {
  }

  /** "2020 Panini Prizm Justin Herbert #1"; "Card {id}" when the snapshot names nothing. */
  public static String title(JsonObject s, long id) {
    StringBuilder t = new StringBuilder(64);
    for (String key : TITLE) {
      String part = text(s, key);
      if (part != null) {
        if (!t.isEmpty()) {
          t.append(' ');
        }
        t.append(key.equals("cardNumber") ? "#" : "").append(part);
      }
    }
    return t.isEmpty() ? "Card " + id : t.toString();
  }

  /** "10", "9.5": a whole grade without its ".0". */
  public static String grade(Object v) {
    if (v instanceof Number n) {
      double d = n.doubleValue();
      return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
    return v == null ? null : String.valueOf(v);
  }

  /** "PSA 10", "BGS 9.5", or null for a raw card. */
  public static String gradeLabel(JsonObject s) {
    String grader = text(s, "gradingCompany");
    String grade = grade(s.getValue("grade"));
    if (grader == null && grade == null) {
      return null;
    }
    return Stream.of(grader, grade).filter(Objects::nonNull).collect(Collectors.joining(" "));
  }

  /** The snapshot's text for {@code key}, stripped; null when absent or blank. */
  public static String text(JsonObject s, String key) {
    Object v = s.getValue(key);
    if (v == null) {
      return null;
    }
    String t = String.valueOf(v).strip();
    return t.isEmpty() ? null : t;
  }

  public static String image(JsonObject s, String key) {
    return safeUrl(text(s, key));
  }

  /** The thumbnail, or the front image when there is no thumbnail. */
  public static String thumb(JsonObject s) {
    return image(s, "frontImageThumb") != null ? image(s, "frontImageThumb") : image(s, "frontImageUrl");
  }

  public static String safeUrl(String url) {
    // any other scheme (or none) is refused without parsing: only http(s) addresses are worth the parse
    if (url == null || !(url.regionMatches(true, 0, "https:", 0, 6) || url.regionMatches(true, 0, "http:", 0, 5))) {
      return null;
    }
    try {
      String scheme = URI.create(url).getScheme();
      return "https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme) ? url : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
