package io.slabtrack.cluster.health;

import com.hazelcast.cluster.Member;
import com.hazelcast.replicatedmap.ReplicatedMap;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.hazelcast.ClusterNode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a JWT secret mismatch loud instead of silent (the original's SSO just stopped working). Every node
 * publishes the fingerprints of its key set {current, previous} in a replicated map keyed by member id; the
 * oldest core member present is the issuer's authority. A node sharing no key with the issuer is not ready.
 * With no core member in sight the last issuer set seen is used, and with none ever seen the check passes with
 * a warning — a satellite must become ready while core is down.
 */
public final class KeyFingerprints {
  public static final String MAP = "slabtrack.jwt-keys";
  private static final Logger LOG = LoggerFactory.getLogger(KeyFingerprints.class);

  private final ClusterNode node;
  private final Set<String> own;
  private final Collection<AppName> apps;
  private volatile Set<String> lastKnownIssuer;
  private volatile Boolean lastOk;

  public KeyFingerprints(ClusterNode node, Set<String> ownFingerprints, Collection<AppName> apps) {
    this.node = node;
    this.own = Set.copyOf(ownFingerprints);
    this.apps = List.copyOf(apps);
  }

  public Future<Void> publish() {
    JsonObject entry = new JsonObject()
        .put("apps", new JsonArray(apps.stream().map(AppName::id).toList()))
        .put("fingerprints", new JsonArray(List.copyOf(new TreeSet<>(own))));
    return node.vertx().executeBlocking(() -> {
      map().put(memberId(node.hazelcast().getCluster().getLocalMember()), entry.encode());
      return null;
    });
  }

  /** Runs on a worker: Hazelcast calls may block. */
  public Future<Verdict> evaluate() {
    return node.vertx().executeBlocking(this::evaluateNow);
  }

  private Verdict evaluateNow() {
    Set<String> issuer = null;
    String issuerMember = null;
    ReplicatedMap<String, String> map = map();
    for (Member m : node.members()) {
      String raw = map.get(memberId(m));
      if (raw == null) {
        continue;
      }
      JsonObject entry = new JsonObject(raw);
      if (entry.getJsonArray("apps").contains(AppName.CORE.id())) {
        issuer = new HashSet<>();
        for (Object fp : entry.getJsonArray("fingerprints")) {
          issuer.add((String) fp);
        }
        issuerMember = memberId(m);
        break;
      }
    }
    String source = "live core member " + issuerMember;
    if (issuer == null) {
      issuer = lastKnownIssuer;
      source = "last known core key set (no core member in the cluster now)";
    } else {
      lastKnownIssuer = Set.copyOf(issuer);
    }
    JsonObject data = new JsonObject().put("own", new JsonArray(List.copyOf(new TreeSet<>(own))));
    if (issuer == null) {
      data.put("warning", "no core member seen yet: JWT key agreement not verified");
      return remember(new Verdict(true, null, data));
    }
    data.put("issuer", new JsonArray(List.copyOf(new TreeSet<>(issuer)))).put("issuerSource", source);
    boolean shared = issuer.stream().anyMatch(own::contains);
    if (shared) {
      return remember(new Verdict(true, null, data));
    }
    String reason = "JWT key mismatch: this node's keys " + new TreeSet<>(own) + " share none with core's "
        + new TreeSet<>(issuer) + " (" + source + "); set the same JWT_SECRET on every node";
    data.put("reason", reason);
    return remember(new Verdict(false, reason, data));
  }

  private Verdict remember(Verdict v) {
    Boolean previous = lastOk;
    lastOk = v.ok();
    if (!v.ok() && !Boolean.FALSE.equals(previous)) {
      LOG.error("{}", v.reason());
    } else if (v.ok() && Boolean.FALSE.equals(previous)) {
      LOG.info("JWT keys agree with core again");
    }
    return v;
  }

  private ReplicatedMap<String, String> map() {
    return node.hazelcast().getReplicatedMap(MAP);
  }

  private static String memberId(Member m) {
    return m.getUuid().toString();
  }

  public record Verdict(boolean ok, String reason, JsonObject data) {
  }
}
