package io.partita.tools.cli;

import io.partita.client.WritePolicy;
import picocli.CommandLine.Option;

/** Options shared by the write commands: {@code --generation} (compare-and-set) and, where it applies, {@code --ttl}. */
final class WriteConditions {
    private WriteConditions() {
    }

    /** {@code --generation N}: the write applies only if the record's generation is N. */
    static final class Generation {
        @Option(names = "--generation", paramLabel = "N",
                description = "Apply only if the record's generation is N (compare-and-set); else exit 3.")
        Integer generation;

        void validate() {
            RecordCommand.checkGeneration(generation);
        }

        WritePolicy.Builder applyTo(WritePolicy.Builder policy) {
            return generation == null ? policy : policy.expectedGeneration(generation);
        }
    }

    /** {@code --ttl SECONDS}: the record's new time to live. */
    static final class Ttl {
        @Option(names = "--ttl", paramLabel = "SECONDS",
                description = "Time to live: seconds, 0 = namespace default (the default), -1 = never expire, "
                        + "-2 = keep the current TTL.")
        Long ttl;

        void validate() {
            RecordCommand.checkTtl(ttl);
        }

        WritePolicy.Builder applyTo(WritePolicy.Builder policy) {
            return ttl == null ? policy : policy.ttlSeconds(ttl);
        }
    }
}
