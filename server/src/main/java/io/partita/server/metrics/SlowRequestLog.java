package io.partita.server.metrics;

import io.partita.protocol.ResultCode;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs requests slower than a threshold at WARN, with the key digest (hex) and where the time went:
 * {@code validate} (arrival to hand-off), {@code queue} (waiting in the group writer for a log entry),
 * {@code raft} (replicate, sync, commit and apply; or the ReadIndex read) and {@code respond} (answer to sent).
 */
final class SlowRequestLog {
    private static final Logger LOG = LoggerFactory.getLogger(SlowRequestLog.class);

    private final long thresholdNanos;

    SlowRequestLog(Duration threshold) {
        this.thresholdNanos = threshold.isZero() ? Long.MAX_VALUE : threshold.toNanos();
    }

    boolean isSlow(long nanos) {
        return nanos >= thresholdNanos;
    }

    void log(RequestTrace t, ResultCode code, long end) {
        LOG.warn("Slow {} on namespace '{}', key digest {}: {} total ({}) -> {}", t.op().label(), t.namespace(),
                t.keyDigest() == null ? "-" : HexFormat.of().formatHex(t.keyDigest()), ms(end - t.start()),
                stages(t, end), code);
    }

    /** The stages the request went through; one refused before Raft, or read from the local replica, has none. */
    static String stages(RequestTrace t, long end) {
        long handedOff = t.submittedAt() != 0 ? t.submittedAt() : t.sentAt();
        if (handedOff == 0 || t.repliedAt() == 0) {
            return "no Raft stage";
        }
        StringBuilder s = new StringBuilder("validate ").append(ms(handedOff - t.start()));
        long raftStart = handedOff;
        if (t.sentAt() != 0 && t.submittedAt() != 0) {
            s.append(", queue ").append(ms(t.sentAt() - t.submittedAt()));
            raftStart = t.sentAt();
        }
        return s.append(", raft ").append(ms(t.repliedAt() - raftStart))
                .append(", respond ").append(ms(end - t.repliedAt())).toString();
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }
}
