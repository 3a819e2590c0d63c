package io.flowfabric.runtime;

import io.flowfabric.api.Payload;
import reactor.core.publisher.Mono;

/**
 * Runs one claimed execution of a kind. The returned {@code Mono} decides the attempt's outcome:
 * a value completes the execution with that result, completing empty completes it with an empty result,
 * and an error (thrown or signalled) fails the attempt with the exception's simple class name as error
 * type and its message as message, so the execution retries per its {@code RetryPolicy}.
 *
 * <p>The handler is subscribed on the worker's scheduler and may be cancelled (lease lost, handler
 * timeout, forced shutdown); it must not block: wrap blocking work in
 * {@code Mono.fromCallable(..).subscribeOn(Schedulers.boundedElastic())}.
 */
@FunctionalInterface
public interface ExecutionHandler {

    Mono<Payload> handle(HandlerContext context);
}
