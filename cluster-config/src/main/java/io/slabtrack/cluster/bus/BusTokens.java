package io.slabtrack.cluster.bus;

import io.slabtrack.cluster.auth.ServiceTokens;
import io.slabtrack.cluster.auth.TokenService;
import io.slabtrack.cluster.config.AppName;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.Arrays;
import java.util.Optional;

/**
 * The sending half of bus authentication: a message to another app carries this app's short-lived service token
 * ({@code typ: service}, {@code sub = app:<us>}, {@code aud} = the receiving app) in the {@link #HEADER} header, so
 * the receiver knows which app sent it ({@link BusSenders}). The event bus itself says nothing about the sender.
 *
 * <p>Tokens are added when a message leaves, never stored with it: an outbox row may wait hours for its receiver,
 * far longer than a token lives. The receiving app is the first segment of the address ({@code core.sale.claim} →
 * core); messages to this app's own addresses, or to addresses of no app ({@code salelock.*}), go without.
 */
public final class BusTokens {
  /** The message header carrying the sender's service token (the bare JWT, no "Bearer"). */
  public static final String HEADER = "slabtrack-service-token";

  private final AppName self;
  private final ServiceTokens tokens;

  public BusTokens(TokenService tokens, AppName self) {
    this.self = self;
    this.tokens = new ServiceTokens(tokens, self);
  }

  /** {@code options} with this app's token for the app that serves {@code address}, when that is another app. */
  public DeliveryOptions sign(String address, DeliveryOptions options) {
    receiverOf(address).filter(app -> app != self)
        .ifPresent(app -> options.addHeader(HEADER, tokens.bearerFor(app)));
    return options;
  }

  /** The app an address belongs to: its first dotted segment, when that names an app. */
  public static Optional<AppName> receiverOf(String address) {
    if (address == null) {
      return Optional.empty();
    }
    int dot = address.indexOf('.');
    String first = dot < 0 ? address : address.substring(0, dot);
    return Arrays.stream(AppName.values()).filter(a -> a.id().equals(first)).findFirst();
  }
}
