package io.slabtrack.cluster.hazelcast;

import com.hazelcast.config.ClassFilter;
import com.hazelcast.config.JavaSerializationFilterConfig;

/**
 * The classes Hazelcast may rebuild with Java deserialization ({@code ObjectInputStream}) from bytes another member
 * sent. Hazelcast OSS lets anyone who reaches the member port and knows the cluster name join; without a filter, such
 * a member could send a serialized "gadget chain" that runs code in every node while it is being read.
 *
 * <p>What we store never needs Java serialization: our map keys and values are String, Long and HazelcastJsonValue
 * (Hazelcast's own serializers), the sale-locks and their entry processors are IdentifiedDataSerializable, and Vert.x's entries
 * ({@code __vertx.subs}, {@code __vertx.nodeInfo}, AsyncMap values wrapped in DataSerializableHolder) are
 * DataSerializable. What does go through it, and so is allowed here:
 * <ul>
 *   <li>exceptions a member sends back as the answer to an operation (Hazelcast's, the JDK's, Vert.x's and ours),
 *       with their stack traces and suppressed lists;</li>
 *   <li>the entry processors of Vert.x's cluster-wide counters: serializable lambdas of
 *       {@code io.vertx.spi.cluster.hazelcast.impl.HazelcastCounter} ({@code java.lang.invoke.SerializedLambda}).</li>
 * </ul>
 * Everything else is refused, in particular {@code javax.*}, {@code sun.*}, {@code com.sun.*}, {@code jdk.*},
 * {@code java.net.*} and every third-party library on the classpath, where the known gadget chains live. Arrays
 * ({@code [}) are allowed because each element is filtered on its own when it is read.
 *
 * <p>This covers Java serialization only. A member can still name any DataSerializable class with a no-argument
 * constructor, and, being a member, read and write every map: the network boundary is what keeps strangers out
 * (README, "Running across machines").
 */
public final class DeserializationAllowList {
  static final String[] PREFIXES = {
      "io.slabtrack.", "io.vertx.", "com.hazelcast.",
      "java.lang.", "java.util.", "java.io.", "java.time.", "java.math.",
      "["};

  private DeserializationAllowList() {
  }

  /** A fresh filter config: only the prefixes above, none of Hazelcast's broader defaults ({@code java*}). */
  public static JavaSerializationFilterConfig filter() {
    return new JavaSerializationFilterConfig()
        .setDefaultsDisabled(true)
        .setWhitelist(new ClassFilter().addPrefixes(PREFIXES));
  }
}
