package io.flowfabric.api;

import java.time.Duration;
import java.util.Set;
import java.util.SortedSet;

/**
 * Request to claim work.
 *
 * @param lane the lane to claim from
 * @param namespace the namespace to claim from (default {@link Namespace#DEFAULT})
 * @param workerId logical worker identity
 * @param workerInstanceId this process
 * @param capabilities tokens the worker offers; only executions whose required set is a subset are claimed
 * @param leaseTtl how long the lease lasts without renewal, 100 ms to 24 h (default 30 s)
 */
public record ClaimRequest(
        LaneId lane,
        Namespace namespace,
        WorkerId workerId,
        WorkerInstanceId workerInstanceId,
        SortedSet<String> capabilities,
        Duration leaseTtl) {

    public static final Duration DEFAULT_LEASE_TTL = Duration.ofSeconds(30);
    public static final Duration MIN_LEASE_TTL = Duration.ofMillis(100);
    public static final Duration MAX_LEASE_TTL = Duration.ofHours(24);

    public ClaimRequest {
        Validate.required(lane, "lane");
        namespace = namespace == null ? Namespace.DEFAULT : namespace;
        Validate.required(workerId, "worker id");
        Validate.required(workerInstanceId, "worker instance id");
        capabilities = Capabilities.copyOf(capabilities);
        leaseTtl = leaseTtl == null ? DEFAULT_LEASE_TTL : leaseTtl;
        Validate.duration(leaseTtl, "lease ttl", MIN_LEASE_TTL, MAX_LEASE_TTL);
    }

    public static ClaimRequest of(LaneId lane, WorkerId workerId, WorkerInstanceId workerInstanceId) {
        return new ClaimRequest(lane, null, workerId, workerInstanceId, null, null);
    }

    public ClaimRequest withNamespace(Namespace value) {
        return new ClaimRequest(lane, value, workerId, workerInstanceId, capabilities, leaseTtl);
    }

    public ClaimRequest withCapabilities(Set<String> value) {
        return new ClaimRequest(lane, namespace, workerId, workerInstanceId,
                value == null ? null : new java.util.TreeSet<>(value), leaseTtl);
    }

    public ClaimRequest withLeaseTtl(Duration value) {
        return new ClaimRequest(lane, namespace, workerId, workerInstanceId, capabilities, value);
    }
}
