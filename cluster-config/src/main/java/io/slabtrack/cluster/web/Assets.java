package io.slabtrack.cluster.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Static files served by the app itself (no CDN), each under a name that carries a hash of its bytes
 * ({@code /assets/site.3f2a9c1b0d.css}): a changed file gets a new URL, so every URL can be cached for a year as
 * {@code immutable}. Loaded once from the classpath into memory (they are a few kilobytes); templates ask
 * {@link #url} for the current name of a logical one ({@code site.css}).
 */
public final class Assets {
  public static final String PREFIX = "/assets/";
  private static final String CACHE_FOREVER = "public, max-age=31536000, immutable";

  private final Map<String, Asset> byName;
  private final Map<String, Asset> byFile;

  private Assets(Map<String, Asset> byName) {
    this.byName = Map.copyOf(byName);
    Map<String, Asset> files = new LinkedHashMap<>();
    byName.values().forEach(a -> files.put(a.file(), a));
    this.byFile = Map.copyOf(files);
  }

  /** The files {@code names} found under {@code dir} (e.g. {@code web/assets/}) of {@code anchor}'s class loader. */
  public static Assets fromClasspath(Class<?> anchor, String dir, List<String> names) {
    Map<String, Asset> out = new LinkedHashMap<>();
    for (String name : names) {
      String resource = dir + name;
      try (InputStream in = anchor.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException("asset " + resource + " is not on the classpath");
        }
        byte[] bytes = in.readAllBytes();
        out.put(name, new Asset(name, fingerprinted(name, bytes), Buffer.buffer(bytes), contentType(name)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new Assets(out);
  }

  /** Both bundles; a name in both is a programming error (one of them would never be served). */
  public Assets plus(Assets other) {
    Map<String, Asset> all = new LinkedHashMap<>(byName);
    other.byName.forEach((name, asset) -> {
      if (all.putIfAbsent(name, asset) != null) {
        throw new IllegalStateException("asset " + name + " is defined twice");
      }
    });
    return new Assets(all);
  }

  /** The URL of the current version of {@code name}; an unknown name is a bug in a template. */
  public String url(String name) {
    Asset a = byName.get(name);
    if (a == null) {
      throw new IllegalArgumentException("no asset named " + name);
    }
    return PREFIX + a.file();
  }

  /** The bytes a logical name serves (tests weigh pages with it). */
  public int size(String name) {
    return byName.get(name).body().length();
  }

  /** {@code GET /assets/:file}; a file of another bundle passes on to the next route. */
  public void mount(Router router) {
    router.get(PREFIX + ":file").handler(this::serve);
  }

  private void serve(RoutingContext rc) {
    Asset a = byFile.get(rc.pathParam("file"));
    if (a == null) {
      rc.next();
      return;
    }
    var response = rc.response().putHeader(HttpHeaders.CACHE_CONTROL, CACHE_FOREVER)
        .putHeader(HttpHeaders.ETAG, a.etag()).putHeader("X-Content-Type-Options", "nosniff");
    if (a.etag().equals(rc.request().getHeader(HttpHeaders.IF_NONE_MATCH))) {
      response.setStatusCode(304).end();
      return;
    }
    response.putHeader(HttpHeaders.CONTENT_TYPE, a.contentType()).end(a.body());
  }

  private static String fingerprinted(String name, byte[] bytes) {
    String hash = sha256(bytes).substring(0, 12);
    int dot = name.lastIndexOf('.');
    return dot < 0 ? name + "." + hash : name.substring(0, dot) + "." + hash + name.substring(dot);
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String contentType(String name) {
    if (name.endsWith(".css")) {
      return "text/css; charset=utf-8";
    }
    if (name.endsWith(".js")) {
      return "text/javascript; charset=utf-8";
    }
    if (name.endsWith(".svg")) {
      return "image/svg+xml";
    }
    if (name.endsWith(".png")) {
      return "image/png";
    }
    throw new IllegalArgumentException("no content type known for asset " + name);
  }

  private record Asset(String name, String file, Buffer body, String contentType) {
    String etag() {
      return "\"" + file + "\"";
    }
  }
}
