package io.slabtrack.cluster.bus;

import io.slabtrack.cluster.config.AppName;

/**
 * Every event-bus address of the ecosystem, app first, dotted. The JSON bodies and replies are documented in
 * cluster-config/EVENT-BUS.md, the polyglot contract: keep the two in step.
 */
public final class Addresses {
  private Addresses() {
  }

  /** A channel's claim for an order (satellite → core, through the satellite's outbox). */
  public static final String CORE_SALE_CLAIM = "core.sale.claim";
  /** Sale-lock operations for any client of the bus (served by every node). */
  public static final String SALELOCK_ACQUIRE = "salelock.acquire";
  public static final String SALELOCK_EXTEND = "salelock.extend";
  public static final String SALELOCK_RELEASE = "salelock.release";
  public static final String SALELOCK_LIST = "salelock.list";
  /** Core's record of lock expiries (conflict log). */
  public static final String CORE_SALELOCK_EXPIRED = "core.salelock.expired";

  /** Where a channel's app hears that one of its locks expired: {@code tot.salelock.expired}, … */
  public static String saleLockExpired(AppName app) {
    return app.id() + ".salelock.expired";
  }

  /** {@code core.ping}, {@code tot.ping}, {@code storefront.ping}: node identity, for operators and tests. */
  public static String ping(AppName app) {
    return app.id() + ".ping";
  }

  /** A won claim whose capture failed: core returns the cards to inventory. */
  public static final String CORE_SALE_RELEASE = "core.sale.release";
  /** Order state changes reported by a channel, for core's order ledger. */
  public static final String CORE_ORDERS_EVENT = "core.orders.event";
  /** Core → ToT: publish / update / disengage of a card or lot. */
  public static final String TOT_CARDS_PUBLISH = "tot.cards.publish";
  /** Core → Storefront: publish / update / disengage of a card in a shop. */
  public static final String STOREFRONT_CARDS_PUBLISH = "storefront.cards.publish";
  /** Core → Storefront, request-reply: the owner user id of each named shop (vendor engagements). */
  public static final String STOREFRONT_SHOPS_OWNERS = "storefront.shops.owners";

  /**
   * Reconciler snapshots a satellite serves to core, paged: {@code tot.reconcile.listings},
   * {@code storefront.reconcile.orders}, … (see EVENT-BUS.md, "Reconciler snapshots").
   */
  public static String reconcile(AppName app, ReconcileSnapshot snapshot) {
    return app.id() + ".reconcile." + snapshot.id();
  }

  /**
   * Public events (EVENT-BUS.md, "Public events"): published through the outbox for listeners outside the cluster
   * (bridged browsers and services). {@code public.cards.thisorthat}, {@code public.cards.storefront}, …
   */
  public static String publicCards(String channel) {
    return "public.cards." + channel;
  }

  /** One card as the channels see it, request-reply; open to bridge clients with the cards:read scope. */
  public static final String CORE_CARDS_READ = "core.cards.read";

  public static final String PUBLIC_ORDERS_STATE = "public.orders.state";
  public static final String PUBLIC_RECONCILE_FINISHED = "public.reconcile.finished";
  /** Version of the public bodies' shape; a breaking change publishes on new addresses instead. */
  public static final int PUBLIC_SCHEMA_VERSION = 1;

  /** What a satellite can be asked for by the reconciler. */
  public enum ReconcileSnapshot {
    /** the cards it lists, with the card version each shows */
    LISTINGS("listings"),
    /** its orders with authorized, captured and refunded amounts and Stripe ids */
    ORDERS("orders"),
    /** its open checkouts (plays / orders) that legitimately hold sale-locks */
    CHECKOUTS("checkouts"),
    /** Stripe events of the last days it never processed (lost webhooks); settles them in heal mode */
    STRIPE("stripe");

    private final String id;

    ReconcileSnapshot(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }
  }
}
