package io.flowfabric.sqlite;

import java.util.function.Function;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * Subscribes to the work of a store call on the current thread and requires it to terminate before
 * {@code subscribe} returns. Store statements complete synchronously, so a composition of them does too;
 * work that has not terminated by then contains an async hop, and committing its partial effects would be
 * wrong, so it is cancelled and reported as an {@link IllegalStateException}.
 */
final class SynchronousResult<T> implements CoreSubscriber<T> {
    private final Context context;
    private Subscription subscription;
    private T value;
    private Throwable error;
    private boolean done;

    private SynchronousResult(ContextView context) {
        this.context = Context.of(context);
    }

    /**
     * Applies {@code work} to {@code handle}, subscribes with the caller's {@code context} and returns the
     * value ({@code null} when empty).
     *
     * @throws IllegalStateException when the work did not terminate synchronously
     * @throws RuntimeException the work's error (a checked one wrapped)
     */
    static <H, T> T run(Function<H, Mono<T>> work, H handle, ContextView context, String what) {
        Mono<T> mono = work.apply(handle);
        if (mono == null) {
            throw new NullPointerException(what + " work returned a null Mono");
        }
        SynchronousResult<T> result = new SynchronousResult<>(context);
        mono.subscribe(result);
        return result.get(what);
    }

    private T get(String what) {
        if (!done) {
            Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
            throw new IllegalStateException(what + " work did not complete synchronously on the thread that "
                    + "runs it: store statements must be composed without subscribeOn, publishOn or timers");
        }
        if (error instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (error instanceof Error fatal) {
            throw fatal;
        }
        if (error != null) {
            throw new IllegalStateException(what + " work failed", error);
        }
        return value;
    }

    @Override
    public Context currentContext() {
        return context;
    }

    @Override
    public void onSubscribe(Subscription s) {
        if (Operators.validate(subscription, s)) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }
    }

    @Override
    public void onNext(T t) {
        value = t;
    }

    @Override
    public void onError(Throwable t) {
        error = t;
        done = true;
    }

    @Override
    public void onComplete() {
        done = true;
    }
}
