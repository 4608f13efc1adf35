package io.slabtrack.cluster.bridge;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The bridge connection's first handler, ahead of vertx-tcp-eventbus-bridge's parser (which buffers whatever length
 * a client announces, and answers a frame that is not JSON, or of an unknown type, with nothing at all). Frames are
 * a 4-byte big-endian length and that many bytes of JSON:
 * <ul>
 *   <li>one announced longer than {@code maxFrameBytes} (or negative) gets an error frame and the connection is
 *   closed, before its body is read;</li>
 *   <li>one that is not a JSON object with a known {@code type} gets an error frame and goes no further;</li>
 *   <li>the others go on to the bridge whole, one at a time.</li>
 * </ul>
 * On the way out it drops the bridge's generic refusal ("blocked by bridgeEvent handler"): {@link TcpBridge} has
 * already answered that frame with the reason (unauthorized, forbidden, rate_limited), and a client gets one error
 * frame per refused frame.
 */
final class FrameGuard extends ChannelDuplexHandler {
  static final Set<String> TYPES = Set.of("send", "publish", "register", "unregister", "ping");
  private static final String GENERIC_REFUSAL = "blocked by bridgeEvent handler";

  private final int maxFrameBytes;
  private ByteBuf pending;

  FrameGuard(int maxFrameBytes) {
    this.maxFrameBytes = maxFrameBytes;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf buf)) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (pending == null) {
      pending = ctx.alloc().buffer();
    }
    pending.writeBytes(buf);
    buf.release();
    while (pending.readableBytes() >= 4) {
      int length = pending.getInt(pending.readerIndex());
      if (length < 0 || length > maxFrameBytes) {
        pending.clear();
        ctx.writeAndFlush(errorFrame("frame_too_large: at most " + maxFrameBytes + " bytes"))
            .addListener(ChannelFutureListener.CLOSE);
        return;
      }
      if (pending.readableBytes() < 4 + length) {
        break;
      }
      ByteBuf frame = pending.readRetainedSlice(4 + length);
      String problem = problemWith(frame.toString(frame.readerIndex() + 4, length, StandardCharsets.UTF_8));
      if (problem == null) {
        ctx.fireChannelRead(frame);
      } else {
        frame.release();
        ctx.writeAndFlush(errorFrame(problem));
      }
    }
    pending.discardReadBytes();
  }

  private static String problemWith(String json) {
    JsonObject frame;
    try {
      frame = new JsonObject(json);
    } catch (RuntimeException e) {
      return "invalid_json";
    }
    Object type = frame.getValue("type");
    if (!(type instanceof String t) || !TYPES.contains(t)) {
      return "unknown_type: one of " + TYPES.stream().sorted().toList();
    }
    Object address = frame.getValue("address");
    if (!"ping".equals(type) && !(address instanceof String)) {
      return "missing_address";
    }
    return null;
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
    if (msg instanceof ByteBuf buf && isGenericRefusal(buf)) {
      buf.release();
      promise.setSuccess();
      return;
    }
    super.write(ctx, msg, promise);
  }

  private static boolean isGenericRefusal(ByteBuf buf) {
    int n = buf.readableBytes();
    if (n < 4 || n > 200) {
      return false;
    }
    try {
      JsonObject frame = new JsonObject(buf.toString(buf.readerIndex() + 4, n - 4, StandardCharsets.UTF_8));
      return "err".equals(frame.getString("type")) && GENERIC_REFUSAL.equals(frame.getString("message"));
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (pending != null) {
      pending.release();
      pending = null;
    }
  }

  static ByteBuf errorFrame(String message) {
    byte[] json = new JsonObject().put("type", "err").put("message", message).encode()
        .getBytes(StandardCharsets.UTF_8);
    return Unpooled.buffer(4 + json.length).writeInt(json.length).writeBytes(json);
  }
}
