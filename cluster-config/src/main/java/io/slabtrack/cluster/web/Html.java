package io.slabtrack.cluster.web;

import gg.jte.Content;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;

/** Rendering with jte's precompiled templates: one engine per module, each template taking one view object. */
public final class Html {
  public static final Content EMPTY = output -> { };

  private Html() {
  }

  /**
   * The engine of the templates a module precompiled into {@code packageName} (its jte-maven-plugin
   * {@code packageName}); HTML content type, so every {@code ${…}} is escaped for where it stands.
   */
  public static TemplateEngine engine(Class<?> anchor, String packageName) {
    return TemplateEngine.createPrecompiled(null, ContentType.Html, anchor.getClassLoader(), packageName);
  }

  /** The template {@code name} (e.g. {@code shop.jte}) rendered with its one parameter, as a finished part. */
  public static Content render(TemplateEngine engine, String name, Object view) {
    StringOutput out = new StringOutput(8 * 1024);
    engine.render(name, view, out);
    String html = out.toString();
    // already escaped by the engine: the layout writes it as it is
    return output -> output.writeContent(html);
  }
}
