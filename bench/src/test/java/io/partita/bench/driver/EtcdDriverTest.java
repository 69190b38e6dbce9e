package io.partita.bench.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.etcd.jetcd.common.exception.EtcdExceptionFactory;
import io.grpc.Status;
import io.partita.bench.Workload;
import io.partita.protocol.ResultCode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The etcd driver's encoding and error classification; no etcd needed (see EtcdEndToEndTest for that). */
class EtcdDriverTest {

    private static final Workload WORKLOAD = Workload.readWrite("test", "bench", 2, 5, 50);

    @Test
    void keysAreTheWorkloadsKeyNamesAndValuesTheBinsConcatenated() {
        try (EtcdDriver d = new EtcdDriver(List.of("127.0.0.1:1"), 100, WORKLOAD)) {
            assertEquals("test/bench/42", d.key(42).toString(StandardCharsets.UTF_8));
            Map<String, Object> bins = new LinkedHashMap<>();
            bins.put("bin0", "abcde");
            bins.put("bin1", "fghij");
            assertEquals("abcdefghij", d.value(bins).toString(StandardCharsets.UTF_8));
            assertEquals(10, d.value(WORKLOAD.bins(new SplittableRandom(1))).size(), "bins x value-size bytes");
        }
    }

    @Test
    void readsAreLinearizable() {
        assertFalse(EtcdDriver.LINEARIZABLE.isSerializable());
    }

    @Test
    void failuresAreCountedUnderTheirGrpcStatus() {
        Throwable wrapped = new CompletionException(
            EtcdExceptionFactory.toEtcdException(Status.UNAVAILABLE.withDescription("no leader").asRuntimeException()));
        assertEquals("UNAVAILABLE(14)", EtcdDriver.failure(wrapped).code().label());
        assertEquals("DEADLINE_EXCEEDED(4)",
            EtcdDriver.failure(new CompletionException(Status.DEADLINE_EXCEEDED.asRuntimeException())).code().label());
        assertNull(EtcdDriver.failure(new IllegalStateException("no status")));
    }

    @Test
    void codesSortByNumberWithClientExceptionLast() {
        List<ErrorCode> codes = new ArrayList<>(List.of(ErrorCode.CLIENT_EXCEPTION,
            EtcdDriver.code(Status.Code.UNAVAILABLE), PartitaDriver.code(ResultCode.TIMEOUT),
            EtcdDriver.code(Status.Code.DEADLINE_EXCEEDED)));
        codes.sort(null);
        assertEquals(List.of("DEADLINE_EXCEEDED(4)", "TIMEOUT(9)", "UNAVAILABLE(14)", "CLIENT_EXCEPTION"),
            codes.stream().map(ErrorCode::label).toList());
    }
}
