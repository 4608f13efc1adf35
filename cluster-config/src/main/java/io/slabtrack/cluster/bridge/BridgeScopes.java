package io.slabtrack.cluster.bridge;

import io.slabtrack.cluster.outbox.OutboxMessage;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a client of the TCP bridge may do (README, "Talk to the bus from any language"). Any valid bridge token
 * may listen to public events; a scope adds a few request/reply addresses; nothing opens the sale path, whatever
 * the token says. Publishing is for the apps alone.
 */
public final class BridgeScopes {
  /** Request/reply addresses per scope: read-only questions an outside service may ask. */
  public static final Map<String, Set<String>> REQUESTS = Map.of(
      "cards:read", Set.of("core.cards.read"),
      "cluster:ping", Set.of("core.ping", "tot.ping", "storefront.ping"));

  /**
   * Never reachable through a bridge: claims, releases and the order ledger, sale-locks, the outbox's own
   * addresses, the publish fan-out and the reconciler's snapshots (some of which heal).
   */
  static final Pattern NEVER = Pattern.compile("core\\.sale\\..*|(.*\\.)?salelock\\..*|slabtrack\\.outbox\\..*"
      + "|.*\\.reconcile\\..*|.*\\.cards\\.publish|core\\.orders\\..*|.*\\.orders\\.confirm|.*\\.shops\\.owners");

  public static final List<String> ALL = REQUESTS.keySet().stream().sorted().toList();

  private BridgeScopes() {
  }

  public static boolean neverBridged(String address) {
    return address == null || NEVER.matcher(address).matches();
  }

  public static boolean mayListen(String address) {
    return OutboxMessage.isPublic(address) && !neverBridged(address);
  }

  public static boolean mayRequest(Collection<String> scopes, String address) {
    if (neverBridged(address)) {
      return false;
    }
    return scopes.stream().anyMatch(s -> REQUESTS.getOrDefault(s, Set.of()).contains(address));
  }

  /** Every address some scope opens (the bridge's inbound allow-list; the token decides per frame). */
  static List<String> requestAddresses() {
    return REQUESTS.values().stream().flatMap(Set::stream).sorted().toList();
  }
}
