package io.slabtrack.cluster.web;

import io.vertx.core.http.HttpMethod;

/** A page route as Vert.x mounts it ({@code GET /s/:slug}): apps list their public ones in one constant. */
public record PageRoute(HttpMethod method, String path) {

  public static PageRoute get(String path) {
    return new PageRoute(HttpMethod.GET, path);
  }

  public static PageRoute post(String path) {
    return new PageRoute(HttpMethod.POST, path);
  }
}
