package io.slabtrack.cluster.bridge;

import io.slabtrack.cluster.auth.TokenService;
import io.slabtrack.cluster.auth.TokenType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.NetServer;
import java.lang.reflect.Method;
import io.vertx.ext.bridge.BridgeOptions;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.eventbus.bridge.tcp.BridgeEvent;
import io.vertx.ext.eventbus.bridge.tcp.TcpEventBusBridge;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event bus for services outside the cluster (vertx-tcp-eventbus-bridge: 4-byte big-endian length, then a JSON
 * frame). Every frame carries a bridge token ({@link BridgeTokens}) in {@code headers.authorization}
 * ({@code "Bearer <jwt>"}); what it may do is {@link BridgeScopes}'. A refused frame gets one error frame
 * ({@code {"type":"err","message":"unauthorized" | "forbidden" | "rate_limited" | …}}) and nothing reaches the
 * bus; a frame announced longer than the limit closes the connection ({@link FrameGuard}). Each connection has its
 * own token bucket, so one flooding client is slowed without touching the others.
 */
public final class TcpBridge {
  private static final Logger LOG = LoggerFactory.getLogger(TcpBridge.class);
  public static final String AUTHORIZATION = "authorization";

  private final TokenService tokens;
  private final BridgeSettings settings;
  private final Map<NetSocket, Client> clients = new ConcurrentHashMap<>();
  private final TcpEventBusBridge bridge;
  private final Vertx vertx;
  private NetServer server;

  public TcpBridge(Vertx vertx, TokenService tokens, BridgeSettings settings) {
    this.vertx = vertx;
    this.tokens = tokens;
    this.settings = settings;
    BridgeOptions permitted = new BridgeOptions()
        .addOutboundPermitted(new PermittedOptions().setAddressRegex("public\\..+"));
    BridgeScopes.requestAddresses().forEach(a -> permitted.addInboundPermitted(new PermittedOptions().setAddress(a)));
    this.bridge = TcpEventBusBridge.create(vertx, permitted, new NetServerOptions().setTcpNoDelay(true), this::handle);
  }

  /**
   * Listens with a server of our own that puts each connection's {@link FrameGuard} and rate bucket in place and
   * then hands the socket to the bridge, before the bridge reads a byte: the bridge announces no event for a new
   * connection and has no hook on its reads. The hand-over is the bridge's own (private) connection handler; a
   * version of vertx-tcp-eventbus-bridge without it fails at startup and in {@code TcpBridgePermissionsTest}.
   */
  public Future<Integer> listen(String host, int port) {
    Method connect;
    try {
      connect = bridge.getClass().getDeclaredMethod("handler", NetSocket.class);
      connect.setAccessible(true);
    } catch (ReflectiveOperationException e) {
      return Future.failedFuture(new IllegalStateException("vertx-tcp-eventbus-bridge changed: no handler(NetSocket)", e));
    }
    server = vertx.createNetServer(new NetServerOptions().setTcpNoDelay(true)).connectHandler(socket -> {
      NetSocketInternal internal = (NetSocketInternal) socket;
      internal.channelHandlerContext().pipeline().addFirst("slabtrack-frame-guard",
          new FrameGuard(settings.maxFrameBytes()));
      clients.put(socket, new Client(settings.framesPerSecond()));
      internal.channelHandlerContext().channel().closeFuture().addListener(f -> clients.remove(socket));
      try {
        connect.invoke(bridge, socket);
      } catch (ReflectiveOperationException e) {
        LOG.error("bridge connection handler failed", e);
        socket.close();
      }
    });
    return server.listen(port, host).map(NetServer::actualPort);
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void handle(BridgeEvent event) {
    NetSocket socket = event.socket();
    switch (event.type()) {
      case SEND, PUBLISH, REGISTER, UNREGISTER -> checkFrame(event, socket);
      case SOCKET_PING -> event.complete(allowedRate(socket));
      default -> event.complete(true);
    }
  }

  private boolean allowedRate(NetSocket socket) {
    Client client = clients.get(socket);
    return client != null && client.bucket.take(System.nanoTime());
  }

  private void checkFrame(BridgeEvent event, NetSocket socket) {
    Client client = clients.get(socket);
    if (client == null || !client.bucket.take(System.nanoTime())) {
      refuse(event, socket, "rate_limited");
      return;
    }
    JsonObject frame = event.getRawMessage();
    String address = frame.getString("address");
    JsonObject headers = frame.getJsonObject("headers");
    String bearer = headers == null ? null : headers.getString(AUTHORIZATION);
    if (bearer == null || !bearer.startsWith("Bearer ")) {
      refuse(event, socket, "unauthorized");
      return;
    }
    client.verified(tokens, bearer.substring("Bearer ".length())).onComplete(ar -> {
      if (ar.failed()) {
        refuse(event, socket, "unauthorized");
        return;
      }
      List<String> scopes = ar.result();
      boolean allowed = switch (event.type()) {
        case REGISTER, UNREGISTER -> BridgeScopes.mayListen(address);
        case SEND -> BridgeScopes.mayRequest(scopes, address);
        default -> false; // outside services never publish
      };
      if (!allowed) {
        LOG.info("bridge refused {} to {} from {}", event.type(), address, socket.remoteAddress());
        refuse(event, socket, "forbidden");
        return;
      }
      // no header goes on to the bus: the token stays here, and a client can't pose as an app
      // (slabtrack-service-token) or plant ids in our logs (slabtrack-correlation)
      JsonObject forwarded = frame.copy();
      forwarded.remove("headers");
      event.setRawMessage(forwarded);
      event.complete(true);
    });
  }

  private static void refuse(BridgeEvent event, NetSocket socket, String reason) {
    JsonObject err = new JsonObject().put("type", "err").put("message", reason);
    // like the bridge's own failure frames: a request's error goes to its replyAddress, so the client can match it
    JsonObject frame = event.getRawMessage() == null ? new JsonObject() : event.getRawMessage();
    String address = frame.getValue("replyAddress") instanceof String reply ? reply : frame.getString("address");
    if (address != null) {
      err.put("address", address);
    }
    byte[] json = err.encode().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    socket.write(io.vertx.core.buffer.Buffer.buffer(4 + json.length).appendInt(json.length).appendBytes(json));
    event.complete(false);
  }

  /** One connection: its rate bucket, and the last token it showed with what that token allows until it expires. */
  private static final class Client {
    final TokenBucket bucket;
    private String token;
    private List<String> scopes;
    private Instant expires;

    Client(int framesPerSecond) {
      bucket = new TokenBucket(framesPerSecond, 2L * framesPerSecond, System.nanoTime());
    }

    synchronized Future<List<String>> verified(TokenService tokens, String presented) {
      if (presented.equals(token) && Instant.now().isBefore(expires)) {
        return Future.succeededFuture(scopes);
      }
      return tokens.verify(presented, TokenType.SERVICE, Optional.empty()).compose(BridgeTokens::scopesOf)
          .onSuccess(s -> remember(presented, s, tokenExpiry(presented)));
    }

    private synchronized void remember(String presented, List<String> s, Instant exp) {
      token = presented;
      scopes = s;
      expires = exp;
    }

    private static Instant tokenExpiry(String jwt) {
      JsonObject payload = new JsonObject(new String(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]),
          java.nio.charset.StandardCharsets.UTF_8));
      return Instant.ofEpochSecond(payload.getLong("exp"));
    }
  }
}
