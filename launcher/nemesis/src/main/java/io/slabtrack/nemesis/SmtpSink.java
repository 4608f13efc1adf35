package io.slabtrack.nemesis;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.parsetools.RecordParser;

/**
 * An SMTP server that accepts every mail and keeps none: node mode sends order confirmations, and without SMTP the
 * Storefront would dead-letter them, which the checker would rightly count as outbox rows needing attention.
 */
public final class SmtpSink implements AutoCloseable {
  private final NetServer server;

  private SmtpSink(NetServer server) {
    this.server = server;
  }

  public static SmtpSink start(Vertx vertx, String host) {
    NetServer server = vertx.createNetServer().connectHandler(socket -> {
      boolean[] inData = {false};
      socket.write("220 nemesis ESMTP\r\n");
      socket.handler(RecordParser.newDelimited("\r\n", line -> {
        String l = line.toString();
        if (inData[0]) {
          if (l.equals(".")) {
            inData[0] = false;
            socket.write("250 OK\r\n");
          }
          return;
        }
        String verb = l.length() >= 4 ? l.substring(0, 4).toUpperCase(java.util.Locale.ROOT) : l;
        switch (verb) {
          case "EHLO" -> socket.write("250 nemesis\r\n");
          case "DATA" -> {
            inData[0] = true;
            socket.write("354 go ahead\r\n");
          }
          case "QUIT" -> socket.write("221 bye\r\n").onComplete(v -> socket.close());
          case "AUTH" -> socket.write("235 OK\r\n");
          default -> socket.write("250 OK\r\n");
        }
      }));
    });
    server.listen(0, host).await();
    return new SmtpSink(server);
  }

  public int port() {
    return server.actualPort();
  }

  @Override
  public void close() {
    server.close().await();
  }

}
