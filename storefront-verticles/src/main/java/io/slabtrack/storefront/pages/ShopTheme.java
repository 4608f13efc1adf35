package io.slabtrack.storefront.pages;

import io.slabtrack.storefront.shops.Theme;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A shop's theme as the page applies it: the preset and palette are classes on {@code <body>} whose rules live in
 * {@code shop.css} (typography, density and hero per preset; colours per palette). An owner's own colours come as a
 * tiny stylesheet whose URL holds them ({@code /themes/1a2b3c-ffffff-0b0b0b-f4f4f4.css}): nothing inline, so the
 * CSP stays {@code style-src 'self'}, and the URL is its own cache key.
 */
record ShopTheme(String bodyClass, List<String> extraStyles) {
  static final String COLORS_PATH = "/themes/:file";
  private static final Pattern FILE = Pattern.compile("^([0-9a-f]{6})-([0-9a-f]{6})-([0-9a-f]{6})-([0-9a-f]{6})\\.css$");

  static ShopTheme of(JsonObject theme) {
    JsonObject t = theme == null ? Theme.defaults() : theme;
    String preset = Theme.PRESETS.contains(t.getString("preset")) ? t.getString("preset") : "classic";
    String base = "shop preset-" + preset;
    JsonObject colors = t.getValue("colors") instanceof JsonObject c ? c : null;
    if (colors != null) {
      String file = String.join("-", Theme.COLOR_ROLES.stream().map(role -> six(colors.getString(role))).toList())
          + ".css";
      return new ShopTheme(base + " palette-custom", List.of(COLORS_PATH.replace(":file", file)));
    }
    String palette = Theme.PALETTES.contains(t.getString("palette")) ? t.getString("palette") : "slate";
    return new ShopTheme(base + " palette-" + palette, List.of());
  }

  /** The stylesheet of {@code /themes/<primary>-<accent>-<background>-<text>.css}, or null for a malformed name. */
  static String colorsCss(String file) {
    var m = FILE.matcher(file);
    if (!m.matches()) {
      return null;
    }
    return ".palette-custom{--color-primary:#" + m.group(1) + ";--color-accent:#" + m.group(2)
        + ";--color-bg:#" + m.group(3) + ";--color-text:#" + m.group(4) + ";--color-surface:#" + m.group(3) + "}\n";
  }

  /** #abc → aabbcc; the theme parser already checked the hex. */
  private static String six(String hex) {
    String h = hex.substring(1).toLowerCase(Locale.ROOT);
    return h.length() == 3 ? "" + h.charAt(0) + h.charAt(0) + h.charAt(1) + h.charAt(1) + h.charAt(2) + h.charAt(2) : h;
  }
}
