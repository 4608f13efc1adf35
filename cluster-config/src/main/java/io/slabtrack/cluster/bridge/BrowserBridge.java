package io.slabtrack.cluster.bridge;

import io.slabtrack.cluster.access.PublicRoutes;
import io.slabtrack.cluster.outbox.OutboxMessage;
import io.vertx.core.Vertx;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.ext.web.handler.sockjs.Transport;

/**
 * The event bus as a buyer's browser sees it ({@code /eventbus}, SockJS): it may listen to public events
 * ({@code public.…}, EVENT-BUS.md) and do nothing else — no send, no publish, no reply, no other address. Pages use
 * it to show a card sold or repriced without a reload ({@code live.js}); they work the same without it.
 *
 * <p>Only the WebSocket transports are on (SockJS's {@code /eventbus/.../websocket} and the raw
 * {@code /eventbus/websocket} that {@code live.js} speaks): both are a GET upgrade, so the one public route is
 * {@code GET /eventbus/*}, and no POST of the polling transports needs opening. No cookie is set.
 */
public final class BrowserBridge {
  public static final String PATH = "/eventbus";
  public static final PublicRoutes PUBLIC_ROUTES = PublicRoutes.of("GET " + PATH + "/*");
  /** A page listens to one or two addresses; more is not a page. */
  static final int MAX_HANDLERS_PER_SOCKET = 4;

  private BrowserBridge() {
  }

  public static void mount(Router router, Vertx vertx) {
    SockJSHandlerOptions options = new SockJSHandlerOptions().setInsertJSESSIONID(false);
    for (Transport t : Transport.values()) {
      if (t != Transport.WEBSOCKET) {
        options.addDisabledTransport(t.name());
      }
    }
    SockJSBridgeOptions bridge = new SockJSBridgeOptions()
        .addOutboundPermitted(new PermittedOptions().setAddressRegex("public\\..+"))
        .setMaxHandlersPerSocket(MAX_HANDLERS_PER_SOCKET)
        .setMaxAddressLength(64);
    router.route(PATH + "/*").subRouter(SockJSHandler.create(vertx, options).bridge(bridge, event -> {
      // inbound is empty already (send/publish refused); a register off the public addresses is refused too,
      // with an error frame, rather than accepted and silently never fed
      boolean allowed = switch (event.type()) {
        case SEND, PUBLISH -> false;
        case REGISTER, UNREGISTER -> OutboxMessage.isPublic(event.getRawMessage().getString("address"));
        default -> true;
      };
      event.complete(allowed);
    }));
  }
}
