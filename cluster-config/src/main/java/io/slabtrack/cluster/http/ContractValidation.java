package io.slabtrack.cluster.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.ValidatorException;

/**
 * Validates every request of an operation in an app's OpenAPI document against it before the app's route runs — the
 * same vertx-openapi validator core's RouterBuilder applies to the operator API, answered by the same
 * {@link ValidationFailures} (400 naming the field), so all three apps refuse a malformed request alike. Requests
 * the document doesn't describe pass untouched (the app's routes answer them, a 404 at worst).
 *
 * <p>Mounted after the access gate (an anonymous caller learns nothing about a private route's shape) and after
 * the BodyHandler, whose read body it validates.
 */
public final class ContractValidation implements Handler<RoutingContext> {
  private final OpenAPIContract contract;
  private final RequestValidator validator;
  private final RequestExtractor extractor = RequestExtractor.withBodyHandler();

  private ContractValidation(Vertx vertx, OpenAPIContract contract) {
    this.contract = contract;
    this.validator = RequestValidator.create(vertx, contract);
  }

  /** Checks the document is a valid contract (a broken one fails the app's start). */
  public static Future<ContractValidation> load(Vertx vertx, JsonObject document) {
    return OpenAPIContract.from(vertx, document).map(c -> new ContractValidation(vertx, c));
  }

  @Override
  public void handle(RoutingContext rc) {
    Operation operation = contract.findOperation(rc.normalizedPath(), rc.request().method());
    if (operation == null) {
      rc.next();
      return;
    }
    extractor.extractValidatableRequest(rc, operation)
        .compose(request -> validator.validate(request, operation.getOperationId()))
        .onSuccess(validated -> rc.next())
        .onFailure(e -> {
          ValidatorException refused = ValidationFailures.validation(e);
          rc.fail(refused == null ? e : ValidationFailures.error(refused));
        });
  }
}
