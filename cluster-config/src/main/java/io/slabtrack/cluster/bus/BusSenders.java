package io.slabtrack.cluster.bus;

import io.slabtrack.cluster.auth.TokenService;
import io.slabtrack.cluster.auth.TokenType;
import io.slabtrack.cluster.auth.VerifiedToken;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.http.ApiException;
import io.slabtrack.cluster.outbox.InboxRejection;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The receiving half of bus authentication ({@link BusTokens}): which app sent a message, proven by the service
 * token in its header (signature, expiry, {@code typ: service}, {@code aud} = this app), and whether that app may
 * send to the address. Refusals use the HTTP codes: 401 {@code unauthorized} (no token, or not a valid one for this
 * app), 403 {@code forbidden} (a valid app that may not send here). Verification is an HMAC: it runs on the event
 * loop.
 */
public final class BusSenders {
  private final TokenService tokens;
  private final AppName self;

  public BusSenders(TokenService tokens, AppName self) {
    this.tokens = tokens;
    this.self = self;
  }

  /** A check for one address: the message must come from one of {@code allowed}. */
  public Check only(AppName... allowed) {
    Set<AppName> apps = EnumSet.noneOf(AppName.class);
    apps.addAll(Arrays.asList(allowed));
    return msg -> verify(msg, apps);
  }

  /** The sending app of {@code msg}, verified, if it is one of {@code allowed}; else a failed {@link InboxRejection}. */
  public Future<AppName> verify(Message<?> msg, Set<AppName> allowed) {
    String token = msg.headers().get(BusTokens.HEADER);
    if (token == null || token.isBlank()) {
      return Future.failedFuture(new InboxRejection(401, "unauthorized",
          "This address needs the sending app's service token in the '" + BusTokens.HEADER + "' header"));
    }
    return tokens.verify(token, TokenType.SERVICE, Optional.of(self))
        .recover(t -> Future.failedFuture(new InboxRejection(401, "unauthorized",
            t instanceof ApiException api ? api.getMessage() : "Invalid token")))
        .compose(verified -> {
          AppName sender = appOf(verified);
          if (sender == null || !allowed.contains(sender)) {
            return Future.failedFuture(new InboxRejection(403, "forbidden", "App '" + verified.issuerApp()
                + "' may not send to " + msg.address() + " (allowed: " + names(allowed) + ")"));
          }
          return Future.succeededFuture(sender);
        });
  }

  private static AppName appOf(VerifiedToken token) {
    String id = token.issuerApp();
    return Arrays.stream(AppName.values()).filter(a -> a.id().equals(id)).findFirst().orElse(null);
  }

  private static String names(Set<AppName> apps) {
    return apps.stream().map(AppName::id).sorted().collect(Collectors.joining(", "));
  }

  /** Who may send to one address: the verified sender, or a failed {@link InboxRejection} (401/403). */
  @FunctionalInterface
  public interface Check {
    Future<AppName> admit(Message<?> msg);
  }
}
