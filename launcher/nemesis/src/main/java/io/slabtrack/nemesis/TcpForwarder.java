package io.slabtrack.nemesis;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder from an address the nodes can reach to a PostgreSQL server, one per app: the app's only way to
 * its database, and so the nemesis's switch for "this app's database is down" (every connection cut, new ones
 * refused) without touching the PostgreSQL server other people share.
 */
public final class TcpForwarder implements AutoCloseable {
  private final NetServer server;
  private final NetClient client;
  private final Set<NetSocket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean down;

  private TcpForwarder(NetServer server, NetClient client) {
    this.server = server;
    this.client = client;
  }

  public static TcpForwarder start(Vertx vertx, String bindHost, String targetHost, int targetPort) {
    NetClient client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(5000));
    TcpForwarder[] self = new TcpForwarder[1];
    NetServer server = vertx.createNetServer().connectHandler(in -> self[0].accept(in, targetHost, targetPort));
    self[0] = new TcpForwarder(server, client);
    server.listen(0, bindHost).await();
    return self[0];
  }

  private void accept(NetSocket in, String host, int port) {
    if (down) {
      in.close();
      return;
    }
    in.pause();
    open.add(in);
    in.closeHandler(v -> open.remove(in));
    client.connect(port, host).onComplete(ar -> {
      if (ar.failed() || down) {
        in.close();
        if (ar.succeeded()) {
          ar.result().close();
        }
        return;
      }
      NetSocket out = ar.result();
      open.add(out);
      out.closeHandler(v -> {
        open.remove(out);
        in.close();
      });
      in.closeHandler(v -> {
        open.remove(in);
        out.close();
      });
      in.pipeTo(out);
      out.pipeTo(in);
      in.resume();
    });
  }

  public int port() {
    return server.actualPort();
  }

  /** Down: every open connection is cut and new ones are closed at once, as when the server is restarting. */
  public void setDown(boolean value) {
    down = value;
    if (value) {
      for (NetSocket s : open) {
        s.close();
      }
    }
  }

  @Override
  public void close() {
    server.close().await();
    client.close().await();
  }
}
