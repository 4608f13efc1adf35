package io.slabtrack.cluster.web;

import io.slabtrack.cluster.http.ApiException;

/** What an error page says: a heading a person understands, the detail, and for 500 the reference to quote. */
public record ErrorView(int status, String heading, String message, String reference) {

  static ErrorView of(ApiException e) {
    String reference = e.status() >= 500 && e.details() != null ? e.details().getString("correlationId") : null;
    return switch (e.status()) {
      case 404 -> new ErrorView(404, "Page not found", "We couldn't find " + what(e) + ". It may have moved or sold.",
          null);
      case 403 -> new ErrorView(403, "Not allowed", e.getMessage(), null);
      case 401 -> new ErrorView(401, "Sign-in needed", e.getMessage(), null);
      case 503 -> new ErrorView(503, "Temporarily unavailable", e.getMessage(), reference);
      default -> e.status() >= 500
          ? new ErrorView(e.status(), "Something went wrong", "Something went wrong on our side. Please try again.",
          reference)
          : new ErrorView(e.status(), "That didn't work", e.getMessage(), null);
    };
  }

  private static String what(ApiException e) {
    String m = e.getMessage();
    if (m != null && m.endsWith(" not found") && !m.startsWith("Route")) {
      return "that " + m.substring(0, m.length() - " not found".length()).toLowerCase();
    }
    return "that page";
  }
}
