package io.slabtrack.cluster.http;

import io.slabtrack.cluster.db.DatabaseTrouble;
import io.slabtrack.cluster.logging.Correlation;
import io.slabtrack.cluster.web.WebLayer;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become HTTP answers: {@link ApiException}s keep their status and code; web
 * framework statuses (404 route, 405, 413 body) get the JSON body too; a database that can't answer (down,
 * restarting, out of connections) is a 503 {@code database_unavailable} with Retry-After; anything else is a 500 whose
 * correlation id is in both the body and the log line. A browser asking for a page outside {@code /api} gets the
 * same answer as an HTML page of the site ({@link WebLayer#wantsHtml}).
 */
public final class FailureHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(FailureHandler.class);
  private final WebLayer web;

  public FailureHandler() {
    this(WebLayer.shared());
  }

  public FailureHandler(WebLayer web) {
    this.web = web;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.response().headWritten()) {
      return;
    }
    Throwable failure = ctx.failure();
    if (failure instanceof ApiException api) {
      answer(ctx, api);
      return;
    }
    if (failure != null && DatabaseTrouble.unavailable(failure)) {
      LOG.warn("database unavailable {} {}: {}", ctx.request().method(), ctx.normalizedPath(), failure.toString());
      answer(ctx, new ApiException(503, "database_unavailable",
          "Our database can't answer right now. Try again in a few seconds",
          new JsonObject().put("retryAfterSeconds", 5)));
      return;
    }
    int status = ctx.statusCode();
    if (failure == null && status > 0 && status < 500) {
      answer(ctx, frameworkError(status));
      return;
    }
    // the request's id: the same as its X-Request-Id header and every other log line of the request
    String correlationId = Correlation.get(Correlation.REQUEST_ID).orElseGet(() -> UUID.randomUUID().toString());
    LOG.error("unhandled failure correlationId={} {} {}", correlationId, ctx.request().method(), ctx.normalizedPath(),
        failure);
    answer(ctx, new ApiException(500, "internal_error", "Something went wrong on our side",
        new JsonObject().put("correlationId", correlationId)));
  }

  private void answer(RoutingContext ctx, ApiException e) {
    if (WebLayer.wantsHtml(ctx)) {
      web.sendError(ctx, e);
    } else {
      Responses.error(ctx, e);
    }
  }

  private static ApiException frameworkError(int status) {
    return switch (status) {
      case 401 -> ApiErrors.unauthorized("Authentication required");
      case 403 -> ApiErrors.forbidden("forbidden", "Not allowed");
      case 404 -> ApiErrors.notFound("Route");
      case 405 -> new ApiException(405, "method_not_allowed", "Method not allowed on this route");
      case 413 -> new ApiException(400, "body_too_large", "Request body is larger than this route accepts");
      case 415 -> new ApiException(415, "unsupported_media_type", "Send application/json");
      default -> new ApiException(status, "bad_request", "The request could not be processed");
    };
  }
}
