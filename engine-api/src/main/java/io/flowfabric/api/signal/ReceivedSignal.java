package io.flowfabric.api.signal;

/**
 * A signal as the resume condition sees it.
 *
 * @param signalId unique id of the delivery
 * @param waitpointKey the key of the waitpoint it was delivered to
 * @param name the signal name, for example {@code approved}
 * @param sourceType who sent it, for example {@code user}
 * @param sourceIdentity which one of them, for example an approver's id
 */
public record ReceivedSignal(String signalId, String waitpointKey, String name, String sourceType,
        String sourceIdentity) {
}
