package io.flowfabric.bench;

import io.flowfabric.api.Engine;
import io.flowfabric.api.Leases;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Wraps an engine so a run can report how many worker-side calls (transactions) an execution cost and how
 * full the claim batches were. A dynamic proxy forwards every method, so the wrapper keeps compiling as
 * the {@link Engine} and {@link Leases} interfaces grow; {@code shutdown} and {@code close} are not
 * forwarded, the suite owns the engine.
 */
final class CountingEngine {
    final LongAdder claimCalls = new LongAdder();
    final LongAdder claimedRows = new LongAdder();
    final LongAdder reclaimCalls = new LongAdder();
    final LongAdder reclaimedRows = new LongAdder();
    final LongAdder completes = new LongAdder();
    final LongAdder completeBatchCalls = new LongAdder();
    final LongAdder completedInBatches = new LongAdder();
    final LongAdder renewals = new LongAdder();
    final Engine engine;

    CountingEngine(Engine delegate) {
        Leases leases = proxy(Leases.class, delegate.leases(), this::countLeases);
        this.engine = proxy(Engine.class, delegate, (method, args, target) -> switch (method.getName()) {
            case "leases" -> leases;
            case "shutdown" -> Mono.empty();
            case "close" -> null;
            default -> invoke(method, target, args);
        });
    }

    /** Worker-side call counts per completed execution. */
    Map<String, Object> figures() {
        Map<String, Object> m = new LinkedHashMap<>();
        double done = Math.max(1, completes.sum() + completedInBatches.sum());
        m.put("claim_calls", claimCalls.sum());
        m.put("claimed_rows", claimedRows.sum());
        m.put("mean_claim_batch", Stats.round3(claimedRows.sum() / (double) Math.max(1, claimCalls.sum())));
        m.put("reclaim_calls", reclaimCalls.sum());
        m.put("complete_calls", completes.sum());
        m.put("complete_batch_calls", completeBatchCalls.sum());
        m.put("mean_complete_batch",
                Stats.round3(completedInBatches.sum() / (double) Math.max(1, completeBatchCalls.sum())));
        m.put("renew_calls", renewals.sum());
        m.put("worker_transactions_per_execution",
                Stats.round3((claimCalls.sum() + reclaimCalls.sum() + completes.sum() + completeBatchCalls.sum()
                        + renewals.sum()) / done));
        return m;
    }

    private Object countLeases(Method method, Object[] args, Object target) {
        Object result = invoke(method, target, args);
        return switch (method.getName()) {
            case "claimBatch" -> ((Flux<?>) result).doOnSubscribe(s -> claimCalls.increment())
                    .doOnNext(c -> claimedRows.increment());
            case "claim" -> ((Mono<?>) result).doOnSubscribe(s -> claimCalls.increment())
                    .doOnNext(c -> claimedRows.increment());
            case "reclaimBatch" -> ((Flux<?>) result).doOnSubscribe(s -> reclaimCalls.increment())
                    .doOnNext(c -> reclaimedRows.increment());
            case "complete" -> ((Mono<?>) result).doOnSubscribe(s -> completes.increment());
            case "completeBatch" -> ((Flux<?>) result).doOnSubscribe(s -> completeBatchCalls.increment())
                    .doOnNext(item -> completedInBatches.increment());
            case "renew" -> ((Mono<?>) result).doOnSubscribe(s -> renewals.increment());
            default -> result;
        };
    }

    @FunctionalInterface
    private interface Call {
        Object apply(Method method, Object[] args, Object target);
    }

    private static <T> T proxy(Class<T> type, T target, Call call) {
        InvocationHandler handler = (p, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> p == args[0];
                    case "hashCode" -> System.identityHashCode(p);
                    default -> "Counting(" + target + ")";
                };
            }
            return call.apply(method, args, target);
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }

    private static Object invoke(Method method, Object target, Object[] args) {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(cause);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
