package io.slabtrack.cluster.web;

import io.slabtrack.cluster.stripe.StripeSettings;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The headers every HTML page of ours carries. The Content-Security-Policy allows scripts, styles, fonts and
 * fetches from this app only (no inline script or style: the templates have none, and a theme's own colours come
 * as a stylesheet too), images also from https (card photos live on other hosts), and forms only to this app and
 * the payment page's origin: Chrome applies {@code form-action} to the redirect that follows a form post, and
 * checkout answers with a redirect to the hosted payment page. {@code Referrer-Policy: same-origin} keeps a
 * buyer's private order link (its token is in the URL) from leaking to the hosts of card images.
 *
 * @param formTargets origins besides {@code 'self'} a form may lead to, e.g. {@code https://checkout.stripe.com}
 */
public record PageSecurity(List<String> formTargets) {
  public static final PageSecurity SELF_ONLY = new PageSecurity(List.of());

  public PageSecurity {
    formTargets = List.copyOf(formTargets);
  }

  /** Pages whose forms may lead on to the payment page's origin (checkout answers with a redirect there). */
  public static PageSecurity payingWith(StripeSettings stripe) {
    return stripe.configured() ? SELF_ONLY.allowingFormsTo(stripe.hostedPagesOrigin()) : SELF_ONLY;
  }

  /** This policy plus the origin (scheme://host[:port]) of {@code url}. */
  public PageSecurity allowingFormsTo(String url) {
    URI uri = URI.create(url);
    String origin = uri.getScheme() + "://" + uri.getRawAuthority();
    if (formTargets.contains(origin)) {
      return this;
    }
    List<String> more = new ArrayList<>(formTargets);
    more.add(origin);
    return new PageSecurity(more);
  }

  public String contentSecurityPolicy() {
    String forms = formTargets.isEmpty() ? "'self'" : "'self' " + String.join(" ", formTargets);
    return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; font-src 'self'; "
        + "connect-src 'self'; form-action " + forms + "; base-uri 'none'; frame-ancestors 'none'";
  }

  /** Sets the page headers; pages depend on cookies (the cart) and are never stored by shared caches. */
  public void apply(HttpServerResponse response) {
    response.putHeader("Content-Security-Policy", contentSecurityPolicy())
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "same-origin")
        .putHeader("X-Frame-Options", "DENY")
        .putHeader(HttpHeaders.CACHE_CONTROL, "private, no-cache")
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8");
  }
}
