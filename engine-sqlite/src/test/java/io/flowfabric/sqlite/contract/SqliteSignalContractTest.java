package io.flowfabric.sqlite.contract;

import io.flowfabric.api.Engine;
import io.flowfabric.api.SignalContractTest;
import io.flowfabric.api.reconcile.ReconcilerSettings;
import java.time.Clock;
import reactor.core.publisher.Mono;

/** Runs the signal contract against SQLite files. */
class SqliteSignalContractTest extends SignalContractTest {
    @Override
    protected Mono<Engine> openEngine(Clock clock, ReconcilerSettings reconcilers) {
        return SqliteContractEngines.open(clock, reconcilers);
    }
}
