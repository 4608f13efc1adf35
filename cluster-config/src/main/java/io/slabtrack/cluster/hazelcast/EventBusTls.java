package io.slabtrack.cluster.hazelcast;

import io.slabtrack.cluster.config.ConfigException;
import io.slabtrack.cluster.config.Settings;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Mutual TLS on the clustered event bus: every node presents its certificate and accepts a connection only from a
 * node whose certificate the trusted CA signed, both ways. Without it anyone who reaches a node's bus port can send
 * any address (a {@code core.sale.release}, say), since the bus itself has no notion of who is talking.
 * Configured by three PEM files, all or none:
 * <ul>
 *   <li>{@code EVENTBUS_TLS_KEY}: this node's private key (PKCS#8 or PKCS#1);</li>
 *   <li>{@code EVENTBUS_TLS_CERT}: its certificate (chain), signed by the cluster's CA;</li>
 *   <li>{@code EVENTBUS_TLS_TRUST}: the CA certificate(s) a peer's certificate must chain to.</li>
 * </ul>
 * Host names are not checked: nodes dial each other by the address they published in the cluster, and the private
 * CA is the identity. So the CA must sign nothing but SlabTrack nodes.
 */
public record EventBusTls(Path key, Path cert, Path trust) {
  public static final String KEY = "EVENTBUS_TLS_KEY";
  public static final String CERT = "EVENTBUS_TLS_CERT";
  public static final String TRUST = "EVENTBUS_TLS_TRUST";

  /** Empty when none of the three is set; a partial or unreadable set stops the node (exit 2). */
  public static Optional<EventBusTls> load(Settings s) {
    List<String> names = List.of(KEY, CERT, TRUST);
    List<String> set = names.stream().filter(s::isSet).toList();
    if (set.isEmpty()) {
      return Optional.empty();
    }
    if (set.size() < names.size()) {
      throw new ConfigException("event bus TLS needs all of " + String.join(", ", names) + "; missing: "
          + String.join(", ", names.stream().filter(n -> !s.isSet(n)).toList()));
    }
    return Optional.of(new EventBusTls(readable(s, KEY), readable(s, CERT), readable(s, TRUST)));
  }

  /** The same options on the bus's server (incoming) and client (outgoing) side. */
  public EventBusOptions applyTo(EventBusOptions options) {
    return options.setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions().setKeyPath(key.toString()).setCertPath(cert.toString()))
        .setTrustOptions(new PemTrustOptions().addCertPath(trust.toString()))
        // the bus's client side trusts every server certificate unless told otherwise (EventBusOptions'
        // DEFAULT_TRUST_ALL is true): a node would send to, and take answers from, any listener
        .setTrustAll(false)
        .setClientAuth(ClientAuth.REQUIRED);
  }

  private static Path readable(Settings s, String name) {
    Path path = Path.of(s.optional(name).orElseThrow());
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      throw new ConfigException(name + " names a file that does not exist or cannot be read: " + path);
    }
    return path;
  }
}
