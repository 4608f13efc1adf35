package io.slabtrack.cluster.bridge;

import io.slabtrack.cluster.auth.JwtKeys;
import io.slabtrack.cluster.auth.TokenService;
import io.slabtrack.cluster.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A TCP bridge on a free port with stand-ins for two addresses: {@code core.cards.read} (answers with the card id
 * it was asked for) and {@code core.sale.claim} (records anything that reaches it: nothing should).
 */
final class BridgeHarness implements AutoCloseable {
  final Vertx vertx = Vertx.vertx();
  final TokenService tokens = new TokenService(vertx, JwtKeys.of(TestNode.SECRET, Optional.empty()));
  final List<Object> reachedSalePath = new CopyOnWriteArrayList<>();
  final TcpBridge bridge;
  final int port;

  BridgeHarness(int framesPerSecond) throws Exception {
    vertx.eventBus().<JsonObject>consumer("core.cards.read", m -> m.reply(new JsonObject()
        .put("cardId", m.body().getLong("cardId")).put("player", "Read Me")
        .put("headers", String.join(",", m.headers().names()))))
        .completion().await(10, TimeUnit.SECONDS);
    for (String a : List.of("core.sale.claim", "core.sale.release", "core.orders.event", "salelock.acquire")) {
      vertx.eventBus().consumer(a, m -> reachedSalePath.add(m.body())).completion().await(10, TimeUnit.SECONDS);
    }
    bridge = new TcpBridge(vertx, tokens,
        new BridgeSettings(OptionalInt.of(0), "127.0.0.1", framesPerSecond, 4096));
    port = bridge.listen("127.0.0.1", 0).await(10, TimeUnit.SECONDS);
  }

  String token(String... scopes) {
    return BridgeTokens.mint(tokens, "test-client", List.of(scopes), Duration.ofMinutes(5));
  }

  Client client(String token) throws IOException {
    return new Client(port, token);
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** The bridge's framing by hand: a 4-byte big-endian length, then JSON. */
  static final class Client implements AutoCloseable {
    final Socket socket;
    final DataOutputStream out;
    final DataInputStream in;
    final String token;

    Client(int port, String token) throws IOException {
      socket = new Socket("127.0.0.1", port);
      socket.setTcpNoDelay(true);
      out = new DataOutputStream(socket.getOutputStream());
      in = new DataInputStream(socket.getInputStream());
      this.token = token;
    }

    void send(JsonObject frame) throws IOException {
      if (token != null) {
        frame.put("headers", new JsonObject().put("authorization", "Bearer " + token));
      }
      raw(frame.encode().getBytes(StandardCharsets.UTF_8));
    }

    void raw(byte[] json) throws IOException {
      out.writeInt(json.length);
      out.write(json);
      out.flush();
    }

    /** The next frame, or null if none comes within {@code millis}. */
    JsonObject next(int millis) throws IOException {
      socket.setSoTimeout(millis);
      try {
        int length = in.readInt();
        byte[] body = new byte[length];
        in.readFully(body);
        return new JsonObject(new String(body, StandardCharsets.UTF_8));
      } catch (SocketTimeoutException e) {
        return null;
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
