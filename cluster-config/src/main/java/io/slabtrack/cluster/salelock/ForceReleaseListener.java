package io.slabtrack.cluster.salelock;

/** Told when an operator force-releases a lock (core records it in its conflict log). */
@FunctionalInterface
public interface ForceReleaseListener {
  void onForceRelease(SaleLock released, String operatorId);
}
