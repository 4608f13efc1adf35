package io.slabtrack.core.claims;

import io.slabtrack.cluster.auth.TokenType;
import io.slabtrack.cluster.auth.VerifiedToken;
import io.slabtrack.cluster.bus.ChannelOwners;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.outbox.InboxRejection;
import io.vertx.core.Future;
import java.util.Arrays;

/**
 * Who asks core to claim or release cards: a channel's app (the {@code sub} of its service token over HTTP, the
 * verified sender over the bus), which may act only for the channel it sells through; or an operator's session
 * (the HTTP {@code complete} route), which may act for any channel. Claim ids are easy to guess
 * ({@code sf-claim-<orderId>}), so this, not the id, is what ties a claim to its channel.
 */
public record ClaimCaller(AppName app) {

  public static ClaimCaller operator() {
    return new ClaimCaller(null);
  }

  public static ClaimCaller app(AppName app) {
    if (app == null) {
      throw new IllegalArgumentException("an app caller needs its app");
    }
    return new ClaimCaller(app);
  }

  /** From a verified token: a service token speaks for its app, a session (the route checked its role) for a person. */
  public static ClaimCaller of(VerifiedToken token) {
    if (token.type() != TokenType.SERVICE) {
      return operator();
    }
    String id = token.issuerApp();
    // a service token of no app of ours may act for no channel
    return new ClaimCaller(Arrays.stream(AppName.values()).filter(a -> a.id().equals(id)).findFirst()
        .orElse(AppName.CORE));
  }

  public boolean mayActFor(String channel) {
    return app == null || ChannelOwners.owns(app, channel);
  }

  /** A failed future (403 {@code channel_not_owned}, nothing changed) unless this caller may act for {@code channel}. */
  public Future<Void> requireChannel(String channel, String what) {
    if (mayActFor(channel)) {
      return Future.succeededFuture();
    }
    return Future.failedFuture(new InboxRejection(403, "channel_not_owned",
        "App '" + app.id() + "' may not " + what + " for channel '" + channel + "'"));
  }
}
