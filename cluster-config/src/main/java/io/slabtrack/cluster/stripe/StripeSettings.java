package io.slabtrack.cluster.stripe;

import io.slabtrack.cluster.config.ConfigException;
import io.slabtrack.cluster.config.RunMode;
import io.slabtrack.cluster.config.Settings;
import java.util.Optional;

/**
 * Where the apps' Stripe calls go and which secrets verify the webhooks. Dev mode without
 * {@code STRIPE_SECRET_KEY} talks to the local simulator so a person can click through a purchase; node mode
 * uses the simulator only when told ({@code STRIPE_SIMULATOR=true}). With no key and no simulator,
 * {@link #configured()} is false and the satellites answer 503 "payments not configured" on payment routes
 * instead of refusing to start: the rest of a shop (browsing, cards) keeps working.
 *
 * <p>With the simulator, missing webhook secrets fall back to fixed public dev values that the simulator signs
 * with too; with real Stripe they stay empty and the webhook routes refuse every event.
 */
public record StripeSettings(
    Optional<String> secretKey,
    String apiBase,
    boolean simulator,
    int simulatorPort,
    Optional<String> storefrontWebhookSecret,
    Optional<String> storefrontConnectWebhookSecret,
    Optional<String> totWebhookSecret,
    PlatformFees fees,
    CallLimits calls) {

  /**
   * How the apps wait for Stripe (StripeCallPool): {@code threads} calls at once ({@code STRIPE_CALL_THREADS}),
   * {@code queue} more waiting ({@code STRIPE_CALL_QUEUE}; beyond that 503 {@code payments_busy}), each answered
   * within {@code timeoutMillis} or failed with 503 {@code payment_provider_timeout} ({@code STRIPE_CALL_TIMEOUT_MS}).
   */
  public record CallLimits(int threads, int queue, long timeoutMillis) {
    public static final CallLimits DEFAULT = new CallLimits(128, 256, 10_000);

    static CallLimits load(Settings s) {
      return new CallLimits(s.integer("STRIPE_CALL_THREADS", DEFAULT.threads, 1, 2_000),
          s.integer("STRIPE_CALL_QUEUE", DEFAULT.queue, 1, 100_000),
          s.integer("STRIPE_CALL_TIMEOUT_MS", (int) DEFAULT.timeoutMillis, 100, 120_000));
    }
  }

  public static final String REAL_API_BASE = "https://api.stripe.com";
  public static final int DEFAULT_SIMULATOR_PORT = 12111;
  /** The simulator accepts any {@code sk_test_} key; this one is used when none is configured. */
  public static final String SIMULATOR_KEY = "sk_test_slabtrack_simulator";
  public static final String DEV_STOREFRONT_WEBHOOK_SECRET = "whsec_dev_storefront";
  public static final String DEV_STOREFRONT_CONNECT_WEBHOOK_SECRET = "whsec_dev_storefront_connect";
  public static final String DEV_TOT_WEBHOOK_SECRET = "whsec_dev_tot";

  public static StripeSettings load(Settings s, RunMode mode) {
    Optional<String> key = s.optional("STRIPE_SECRET_KEY");
    key.ifPresent(k -> {
      if (!k.startsWith("sk_") && !k.startsWith("rk_")) {
        throw new ConfigException("STRIPE_SECRET_KEY must be a Stripe secret or restricted key (sk_… or rk_…)");
      }
    });
    boolean simulator = s.bool("STRIPE_SIMULATOR", mode == RunMode.DEV && key.isEmpty());
    if (simulator && key.isPresent() && key.get().startsWith("sk_live_")) {
      throw new ConfigException("STRIPE_SIMULATOR=true with a live STRIPE_SECRET_KEY: refusing to mix them");
    }
    int simPort = s.integer("STRIPE_SIMULATOR_PORT", DEFAULT_SIMULATOR_PORT, 0, 65535);
    String base = s.optional("STRIPE_API_BASE")
        .orElse(simulator ? "http://127.0.0.1:" + simPort : REAL_API_BASE);
    if (!base.startsWith("http://") && !base.startsWith("https://")) {
      throw new ConfigException("STRIPE_API_BASE must be an http(s) URL, got '" + base + "'");
    }
    PlatformFees fees = new PlatformFees(
        s.integer("PLATFORM_FEE_BPS", 300, 0, 5_000),
        s.integer("STRIPE_FEE_BPS", 290, 0, 5_000),
        s.integer("STRIPE_FEE_FIXED_CENTS", 30, 0, 10_000));
    CallLimits calls = CallLimits.load(s);
    return new StripeSettings(
        simulator ? Optional.of(key.orElse(SIMULATOR_KEY)) : key,
        stripTrailingSlash(base), simulator, simPort,
        secret(s, "STOREFRONT_STRIPE_WEBHOOK_SECRET", simulator, DEV_STOREFRONT_WEBHOOK_SECRET),
        secret(s, "STOREFRONT_STRIPE_CONNECT_WEBHOOK_SECRET", simulator, DEV_STOREFRONT_CONNECT_WEBHOOK_SECRET),
        secret(s, "TOT_STRIPE_WEBHOOK_SECRET", simulator, DEV_TOT_WEBHOOK_SECRET),
        fees, calls);
  }

  /** Settings for tests: the simulator at {@code apiBase} with the dev secrets and default fees. */
  public static StripeSettings forSimulator(String apiBase) {
    return new StripeSettings(Optional.of(SIMULATOR_KEY), stripTrailingSlash(apiBase), true, DEFAULT_SIMULATOR_PORT,
        Optional.of(DEV_STOREFRONT_WEBHOOK_SECRET), Optional.of(DEV_STOREFRONT_CONNECT_WEBHOOK_SECRET),
        Optional.of(DEV_TOT_WEBHOOK_SECRET), PlatformFees.DEFAULT, CallLimits.DEFAULT);
  }

  /** The same settings with other call limits (tests of saturation and timeouts). */
  public StripeSettings withCalls(CallLimits limits) {
    return new StripeSettings(secretKey, apiBase, simulator, simulatorPort, storefrontWebhookSecret,
        storefrontConnectWebhookSecret, totWebhookSecret, fees, limits);
  }

  /**
   * The origin of the hosted pages Stripe sends buyers to (Checkout): the simulator's own address, else
   * {@code https://checkout.stripe.com}. Pages allow their forms to lead there (PageSecurity).
   */
  public String hostedPagesOrigin() {
    return simulator ? apiBase : "https://checkout.stripe.com";
  }

  /** False when there is neither a key nor a simulator: payment routes answer 503, nothing else is affected. */
  public boolean configured() {
    return secretKey.isPresent();
  }

  /** What a startup log line may say about the setup, without the key itself. */
  public String describe() {
    if (!configured()) {
      return "payments not configured (no STRIPE_SECRET_KEY, simulator off)";
    }
    String kind = secretKey.get().startsWith("sk_live_") ? "live" : "test";
    return (simulator ? "Stripe simulator at " : "Stripe (" + kind + " key) at ") + apiBase;
  }

  private static Optional<String> secret(Settings s, String name, boolean simulator, String devDefault) {
    Optional<String> v = s.optional(name);
    if (v.isPresent() && !v.get().startsWith("whsec_")) {
      throw new ConfigException(name + " must be a Stripe webhook signing secret (whsec_…)");
    }
    return v.isPresent() || !simulator ? v : Optional.of(devDefault);
  }

  private static String stripTrailingSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
