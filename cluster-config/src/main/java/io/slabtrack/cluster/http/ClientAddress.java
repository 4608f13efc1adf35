package io.slabtrack.cluster.http;

import io.netty.util.NetUtil;
import io.slabtrack.cluster.config.Settings;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The client address that per-address limits count (login on core, checkouts and plays on the satellites).
 * Directly exposed, it is the TCP peer. Behind a reverse proxy every peer is the proxy, so with
 * {@code TRUST_FORWARDED_FOR=true} it is the last X-Forwarded-For entry: the one our own proxy appended. Earlier
 * entries are whatever the client sent and would let anyone pick a fresh "address" per request, so they are never
 * used. An IPv6 client counts by its /64: one subscriber line gets a whole /64 and could otherwise rotate through
 * 2^64 "addresses".
 */
public final class ClientAddress {
  private final boolean trustForwardedFor;

  public ClientAddress(boolean trustForwardedFor) {
    this.trustForwardedFor = trustForwardedFor;
  }

  /** From {@code TRUST_FORWARDED_FOR} (default false: the apps face clients directly). */
  public static ClientAddress fromSettings(Settings settings) {
    return new ClientAddress(settings.bool("TRUST_FORWARDED_FOR", false));
  }

  /** The key this request's client is counted under. */
  public String of(RoutingContext rc) {
    return bucket(of(rc.request().remoteAddress().hostAddress(), rc.request().getHeader("X-Forwarded-For"),
        trustForwardedFor));
  }

  static String of(String peer, String forwardedFor, boolean trustForwardedFor) {
    if (!trustForwardedFor || forwardedFor == null || forwardedFor.isBlank()) {
      return peer;
    }
    String[] hops = forwardedFor.split(",");
    String last = hops[hops.length - 1].trim();
    return last.isEmpty() || last.length() > 64 ? peer : last;
  }

  /**
   * IPv4 as it is; IPv6 (IPv4-mapped ones aside) cut to its /64; anything else (a proxy that wrote a name) as
   * written. Parsed without any name lookup.
   */
  static String bucket(String address) {
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(address);
    if (bytes == null) {
      return address;
    }
    if (bytes.length == 4) {
      return NetUtil.bytesToIpAddress(bytes);
    }
    boolean mapped = Arrays.equals(Arrays.copyOf(bytes, 10), new byte[10]) && bytes[10] == -1 && bytes[11] == -1;
    if (mapped) {
      return NetUtil.bytesToIpAddress(Arrays.copyOfRange(bytes, 12, 16));
    }
    return HexFormat.of().formatHex(bytes, 0, 8) + "::/64";
  }
}
