package io.partita.bench;

import java.util.EnumMap;
import java.util.Map;

/**
 * YCSB's standard workloads A to F ({@code --workload}): each an operation mix and a default key distribution, as
 * in YCSB's {@code workloads/workloada} ... {@code workloadf}.
 */
public enum CoreWorkload {
    /** Update heavy: 50% reads, 50% updates, zipfian. */
    A(Distribution.ZIPFIAN, OpType.READ, 50, OpType.UPDATE, 50),
    /** Read mostly: 95% reads, 5% updates, zipfian. */
    B(Distribution.ZIPFIAN, OpType.READ, 95, OpType.UPDATE, 5),
    /** Read only, zipfian. */
    C(Distribution.ZIPFIAN, OpType.READ, 100),
    /** Read latest: 95% reads, 5% inserts, the latest records most read. */
    D(Distribution.LATEST, OpType.READ, 95, OpType.INSERT, 5),
    /** Short ranges: 95% scans, 5% inserts, zipfian start keys. */
    E(Distribution.ZIPFIAN, OpType.SCAN, 95, OpType.INSERT, 5),
    /** Read-modify-write: 50% reads, 50% read-modify-writes, zipfian. */
    F(Distribution.ZIPFIAN, OpType.READ, 50, OpType.RMW, 50);

    private final Distribution distribution;
    private final OperationMix mix;

    CoreWorkload(Distribution distribution, Object... opsAndWeights) {
        Map<OpType, Double> w = new EnumMap<>(OpType.class);
        for (int i = 0; i < opsAndWeights.length; i += 2) {
            w.put((OpType) opsAndWeights[i], ((Integer) opsAndWeights[i + 1]).doubleValue());
        }
        this.distribution = distribution;
        this.mix = OperationMix.of(w);
    }

    /** The workload's operation mix. */
    public OperationMix mix() {
        return mix;
    }

    /** The key distribution the workload uses unless {@code --distribution} says otherwise. */
    public Distribution distribution() {
        return distribution;
    }
}
