package dev.s3music.model.memory;

import dev.s3music.model.port.ReconcileLease;
import dev.s3music.model.port.ReconcileLeaseContractTest;

class InMemoryReconcileLeaseContractTest extends ReconcileLeaseContractTest {
    @Override
    protected ReconcileLease newLease() {
        return new InMemoryReconcileLease();
    }
}
