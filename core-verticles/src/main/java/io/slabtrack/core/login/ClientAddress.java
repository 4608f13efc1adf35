package io.slabtrack.core.login;

/**
 * The client address the per-address login limit counts. Directly exposed, it is the TCP peer. Behind a reverse
 * proxy every peer is the proxy, so with {@code TRUST_FORWARDED_FOR=true} it is the last X-Forwarded-For entry:
 * the one our own proxy appended. Earlier entries are whatever the client sent and would let anyone pick a fresh
 * "address" per request, so they are never used.
 */
final class ClientAddress {
  private ClientAddress() {
  }

  static String of(String peer, String forwardedFor, boolean trustForwardedFor) {
    if (!trustForwardedFor || forwardedFor == null || forwardedFor.isBlank()) {
      return peer;
    }
    String[] hops = forwardedFor.split(",");
    String last = hops[hops.length - 1].trim();
    return last.isEmpty() || last.length() > 64 ? peer : last;
  }
}
