package io.slabtrack.storefront.shops;

import io.slabtrack.cluster.http.ApiErrors;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A shop's look (DOMAIN.md: 9 presets, 12 palettes): a layout {@code preset} plus either a named {@code palette} or
 * the owner's own {@code colors} as hex ({@code #rgb} or {@code #rrggbb}). Stored and served as
 * {@code {"preset", "palette"}} or {@code {"preset", "colors": {primary, accent, background, text}}}.
 */
public final class Theme {
  public static final List<String> PRESETS = List.of(
      "classic", "modern", "minimal", "vintage", "bold", "dark", "showcase", "arena", "gallery");
  public static final List<String> PALETTES = List.of(
      "slate", "midnight", "forest", "ocean", "crimson", "gold", "sunset", "lavender", "mint", "graphite", "ivory",
      "neon");
  public static final List<String> COLOR_ROLES = List.of("primary", "accent", "background", "text");
  private static final Pattern HEX = Pattern.compile("^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$");

  private Theme() {
  }

  public static JsonObject defaults() {
    return new JsonObject().put("preset", "classic").put("palette", "slate");
  }

  /** @return the normalised theme; 400 {@code invalid_field} naming the offending field otherwise */
  public static JsonObject parse(Object value) {
    if (!(value instanceof JsonObject in)) {
      throw ApiErrors.invalidField("theme", "theme must be an object {preset, palette | colors}");
    }
    String preset = in.getValue("preset") instanceof String s ? s : null;
    if (preset == null || !PRESETS.contains(preset)) {
      throw ApiErrors.invalidField("theme.preset", "preset must be one of " + PRESETS);
    }
    JsonObject out = new JsonObject().put("preset", preset);
    boolean hasPalette = in.getValue("palette") != null;
    boolean hasColors = in.getValue("colors") != null;
    if (hasPalette == hasColors) {
      throw ApiErrors.invalidField("theme", "give either a palette or your own colors");
    }
    if (hasPalette) {
      if (!(in.getValue("palette") instanceof String p) || !PALETTES.contains(p)) {
        throw ApiErrors.invalidField("theme.palette", "palette must be one of " + PALETTES);
      }
      return out.put("palette", p);
    }
    if (!(in.getValue("colors") instanceof JsonObject colors)) {
      throw ApiErrors.invalidField("theme.colors", "colors must be an object of hex colours");
    }
    JsonObject clean = new JsonObject();
    for (String role : COLOR_ROLES) {
      Object c = colors.getValue(role);
      if (!(c instanceof String hex) || !HEX.matcher(hex).matches()) {
        throw ApiErrors.invalidField("theme.colors." + role, role + " must be a hex colour like #1a2b3c");
      }
      clean.put(role, hex.toLowerCase());
    }
    for (String key : colors.fieldNames()) {
      if (!COLOR_ROLES.contains(key)) {
        throw ApiErrors.invalidField("theme.colors." + key, "unknown colour role; use " + COLOR_ROLES);
      }
    }
    return out.put("colors", clean);
  }
}
