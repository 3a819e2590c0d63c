package io.flowfabric.api.signal;

import java.util.List;
import java.util.UUID;

/** Result of {@link Signals#suspend}. */
public sealed interface SuspendOutcome permits SuspendOutcome.Suspended, SuspendOutcome.AlreadySatisfied {

    /** The execution is suspended; deliver signals to these waitpoints with their tokens. */
    record Suspended(UUID suspensionId, List<IssuedWaitpoint> waitpoints) implements SuspendOutcome {
        public Suspended {
            waitpoints = List.copyOf(waitpoints);
        }
    }

    /**
     * Signals buffered on pending waitpoints already satisfy the condition: nothing was suspended and the
     * caller still holds its lease.
     */
    record AlreadySatisfied(List<ReceivedSignal> signals) implements SuspendOutcome {
        public AlreadySatisfied {
            signals = List.copyOf(signals);
        }
    }
}
