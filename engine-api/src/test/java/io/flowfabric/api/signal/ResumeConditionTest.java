package io.flowfabric.api.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowfabric.api.error.ValidationException;
import io.flowfabric.api.signal.ResumeCondition.AllOf;
import io.flowfabric.api.signal.ResumeCondition.AnyOf;
import io.flowfabric.api.signal.ResumeCondition.Count;
import io.flowfabric.api.signal.ResumeCondition.CountKind;
import io.flowfabric.api.signal.ResumeCondition.Single;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResumeConditionTest {

    private static ReceivedSignal signal(String id, String key, String name, String who) {
        return new ReceivedSignal(id, key, name, "user", who);
    }

    @Test
    void singleMatchesByNameOrAnyName() {
        ResumeCondition approved = new Single("gate", "approved");
        assertThat(approved.isSatisfiedBy(List.of(signal("1", "gate", "rejected", "ada")))).isFalse();
        assertThat(approved.isSatisfiedBy(List.of(signal("1", "other", "approved", "ada")))).isFalse();
        assertThat(approved.isSatisfiedBy(List.of(signal("1", "gate", "approved", "ada")))).isTrue();
        assertThat(new Single("gate", null).isSatisfiedBy(List.of(signal("1", "gate", "anything", "ada")))).isTrue();
    }

    @Test
    void allOfNeedsEveryMemberAndAnyOfOne() {
        ResumeCondition a = new Single("a", "ok");
        ResumeCondition b = new Single("b", "ok");
        List<ReceivedSignal> onlyA = List.of(signal("1", "a", "ok", "x"));
        List<ReceivedSignal> both = List.of(signal("1", "a", "ok", "x"), signal("2", "b", "ok", "x"));
        assertThat(new AllOf(List.of(a, b)).isSatisfiedBy(onlyA)).isFalse();
        assertThat(new AllOf(List.of(a, b)).isSatisfiedBy(both)).isTrue();
        assertThat(new AnyOf(List.of(a, b)).isSatisfiedBy(onlyA)).isTrue();
        assertThat(new AnyOf(List.of(a, b)).isSatisfiedBy(List.of())).isFalse();
    }

    @Test
    void distinctSourcesCountsEachApproverOnce() {
        ResumeCondition twoApprovers = new Count(2, CountKind.DISTINCT_SOURCES, List.of("gate"), "approved");
        List<ReceivedSignal> sameApproverTwice = List.of(signal("1", "gate", "approved", "ada"),
                signal("2", "gate", "approved", "ada"));
        assertThat(twoApprovers.isSatisfiedBy(sameApproverTwice)).isFalse();
        assertThat(twoApprovers.isSatisfiedBy(List.of(signal("1", "gate", "approved", "ada"),
                signal("2", "gate", "rejected", "bob")))).isFalse();
        assertThat(twoApprovers.isSatisfiedBy(List.of(signal("1", "gate", "approved", "ada"),
                signal("2", "gate", "approved", "bob")))).isTrue();
    }

    @Test
    void distinctWaitpointsAndSignals() {
        Count waitpoints = new Count(2, CountKind.DISTINCT_WAITPOINTS, List.of("a", "b", "c"), null);
        assertThat(waitpoints.isSatisfiedBy(List.of(signal("1", "a", "x", "u"), signal("2", "a", "x", "v")))).isFalse();
        assertThat(waitpoints.isSatisfiedBy(List.of(signal("1", "a", "x", "u"), signal("2", "c", "x", "u")))).isTrue();
        Count signals = new Count(2, CountKind.DISTINCT_SIGNALS, List.of("a"), null);
        assertThat(signals.isSatisfiedBy(List.of(signal("1", "a", "x", "u"), signal("1", "a", "x", "u")))).isFalse();
        assertThat(signals.isSatisfiedBy(List.of(signal("1", "a", "x", "u"), signal("2", "a", "x", "u")))).isTrue();
    }

    @Test
    void impossibleOrTooDeepConditionsAreRejected() {
        assertThatThrownBy(() -> new Count(3, CountKind.DISTINCT_WAITPOINTS, List.of("a", "b"), null))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> new Count(0, CountKind.DISTINCT_SOURCES, List.of("a"), null))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> new AllOf(List.of())).isInstanceOf(ValidationException.class);
        ResumeCondition depth3 = new AllOf(List.of(new AnyOf(List.of(new Single("a", null)))));
        ResumeCondition depth4 = new AnyOf(List.of(depth3));
        assertThat(ResumeCondition.validated(depth4).depth()).isEqualTo(4);
        assertThatThrownBy(() -> new AllOf(List.of(depth4))).isInstanceOf(ValidationException.class)
                .hasMessageContaining("at most 4");
        assertThat(depth4.namedWaitpointKeys()).containsExactly("a");
    }
}
