package io.flowfabric.internal;

import io.flowfabric.api.signal.ReceivedSignal;
import io.flowfabric.api.signal.ResumeCondition;
import io.flowfabric.api.signal.SuspensionInfo;
import io.flowfabric.api.signal.TimeoutBehavior;
import io.flowfabric.api.signal.WaitpointInfo;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** Read models of waitpoints and suspensions; tokens appear only as kid and fingerprint. */
final class SuspensionView {
    private SuspensionView() {
    }

    static WaitpointInfo info(WaitpointRow w) {
        return new WaitpointInfo(w.waitpointId, w.waitpointKey, w.state, w.tokenKid, w.tokenFingerprint,
                Snapshots.instant(w.createdAtMs), Snapshots.instant(w.expiresAtMs), Snapshots.instant(w.activatedAtMs));
    }

    static SuspensionInfo of(SuspensionRow s, List<WaitpointRow> waitpoints, List<SignalRow> signals) {
        List<WaitpointRow> bound = waitpoints.stream().filter(w -> s.suspensionId.equals(w.suspensionId)).toList();
        Set<UUID> ids = bound.stream().map(w -> w.waitpointId).collect(Collectors.toSet());
        List<ReceivedSignal> received = Signaled.received(signals, ids);
        ResumeCondition condition = ConditionCodec.decode(s.conditionJson);
        List<ResumeCondition> members = condition instanceof ResumeCondition.AllOf all ? all.members()
                : condition instanceof ResumeCondition.AnyOf any ? any.members() : List.of(condition);
        return new SuspensionInfo(s.suspensionId, s.reasonCode, condition,
                members.stream().map(m -> m.isSatisfiedBy(received)).toList(),
                bound.stream().map(SuspensionView::info).toList(), received,
                Snapshots.instant(s.suspendedAtMs), Snapshots.instant(s.timeoutAtMs),
                TimeoutBehavior.valueOf(s.timeoutBehavior.toUpperCase(Locale.ROOT)));
    }
}
