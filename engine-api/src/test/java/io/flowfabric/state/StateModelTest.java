package io.flowfabric.api.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class StateModelTest {

    @Test
    void publicStateDerivation() {
        assertThat(PublicState.derive(LifecyclePhase.RUNNABLE, EligibilityState.ELIGIBLE_NOW, TerminalOutcome.NONE))
                .isEqualTo(PublicState.WAITING);
        assertThat(PublicState.derive(LifecyclePhase.RUNNABLE, EligibilityState.NOT_ELIGIBLE_UNTIL_TIME,
                TerminalOutcome.NONE)).isEqualTo(PublicState.DELAYED);
        assertThat(PublicState.derive(LifecyclePhase.RUNNABLE, EligibilityState.BLOCKED_BY_BUDGET,
                TerminalOutcome.NONE)).isEqualTo(PublicState.RATE_LIMITED);
        assertThat(PublicState.derive(LifecyclePhase.RUNNABLE, EligibilityState.BLOCKED_BY_DEPENDENCIES,
                TerminalOutcome.NONE)).isEqualTo(PublicState.WAITING_CHILDREN);
        assertThat(PublicState.derive(LifecyclePhase.ACTIVE, EligibilityState.NOT_APPLICABLE, TerminalOutcome.NONE))
                .isEqualTo(PublicState.ACTIVE);
        assertThat(PublicState.derive(LifecyclePhase.TERMINAL, EligibilityState.NOT_APPLICABLE,
                TerminalOutcome.SUCCESS)).isEqualTo(PublicState.COMPLETED);
        assertThat(PublicState.derive(LifecyclePhase.TERMINAL, EligibilityState.NOT_APPLICABLE, TerminalOutcome.NONE))
                .isEqualTo(PublicState.FAILED);
    }

    @Test
    void literalsRoundTripAndUnknownLiteralsFail() {
        for (PublicState s : PublicState.values()) {
            assertThat(PublicState.fromLiteral(s.literal())).isEqualTo(s);
        }
        assertThat(OwnershipState.LEASE_EXPIRED_RECLAIMABLE.literal()).isEqualTo("lease_expired_reclaimable");
        assertThatThrownBy(() -> LifecyclePhase.fromLiteral("running")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void transitionGuardsRejectDisallowedPhases() {
        assertThat(Transition.COMPLETE.allowedFrom(LifecyclePhase.ACTIVE)).isTrue();
        assertThatThrownBy(() -> Transition.COMPLETE.apply(LifecyclePhase.RUNNABLE))
                .isInstanceOf(IllegalStateException.class);
        assertThat(Transition.OPERATOR_CANCEL.from()).containsExactlyInAnyOrder(LifecyclePhase.RUNNABLE,
                LifecyclePhase.ACTIVE, LifecyclePhase.SUSPENDED);
    }

    /** Every declared transition is asserted by at least one backend contract test. */
    @Test
    void everyDeclaredTransitionIsExercisedByTheContractSuite() throws IOException {
        Path suites = Path.of("src/test/java/io/flowfabric/api");
        StringBuilder sources = new StringBuilder();
        try (Stream<Path> files = Files.list(suites)) {
            for (Path file : files.filter(f -> f.toString().endsWith("ContractTest.java")).toList()) {
                sources.append(Files.readString(file));
            }
        }
        for (Transition t : Transition.values()) {
            assertThat(sources.toString()).as("contract assertion for " + t)
                    .containsPattern("assertState\\([^;]*Transition\\." + t.name() + "\\)");
        }
    }
}
