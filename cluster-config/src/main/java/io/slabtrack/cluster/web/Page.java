package io.slabtrack.cluster.web;

import gg.jte.Content;
import java.util.List;

/**
 * One HTML page for the shared layout: its title, the classes on {@code <body>} (a shop's theme), the app's
 * stylesheets and scripts (asset URLs, after the shared ones), and three parts already rendered by the app's own
 * templates: the site header, the main content and the footer.
 */
public record Page(String title, String description, String bodyClass, List<String> styles, List<String> scripts,
                   Content header, Content main, Content footer) {

  public Page {
    styles = List.copyOf(styles);
    scripts = List.copyOf(scripts);
    bodyClass = bodyClass == null ? "" : bodyClass;
  }

  /** A page with only a title and main content (error pages, simple notices). */
  public static Page simple(String title, Content header, Content main) {
    return new Page(title, null, "", List.of(), List.of(), header, main, Html.EMPTY);
  }
}
