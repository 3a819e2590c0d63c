package io.flowfabric.internal;

import io.flowfabric.api.signal.ReceivedSignal;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Stored signals as the resume condition sees them. */
final class Signaled {
    private Signaled() {
    }

    static ReceivedSignal received(SignalRow s) {
        return new ReceivedSignal(s.signalId.toString(), s.waitpointKey, s.signalName, s.sourceType, s.sourceIdentity);
    }

    /** The signals delivered to any of {@code waitpointIds}, in delivery order. */
    static List<ReceivedSignal> received(List<SignalRow> signals, Set<UUID> waitpointIds) {
        return signals.stream()
                .filter(s -> waitpointIds.contains(s.waitpointId))
                .map(Signaled::received)
                .toList();
    }
}
