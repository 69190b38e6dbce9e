package io.partita.server.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.server.snapshot.SnapshotTransfers.Direction;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotTransfersTest {

    @Test
    void bytesAreCountedPerGroupAndDirectionAndOutliveTheTransfer() {
        SnapshotTransfers t = new SnapshotTransfers();
        try (SnapshotTransfers.Progress in = t.start(Direction.RECEIVED, 2, "n1", -1, true);
             SnapshotTransfers.Progress out = t.start(Direction.SENT, 5, "", 1000, false)) {
            in.add(300);
            in.add(200);
            out.add(700);
            List<SnapshotTransfers.Transfer> running = t.inProgress();
            assertEquals(2, running.size(), running.toString());
            SnapshotTransfers.Transfer sent = running.get(0);
            assertEquals(Direction.SENT, sent.direction(), "sent first");
            assertEquals(5, sent.group());
            assertEquals(700, sent.bytes());
            assertEquals(1000, sent.totalBytes());
            SnapshotTransfers.Transfer received = running.get(1);
            assertEquals("n1", received.peer());
            assertEquals(500, received.bytes());
            assertEquals(-1, received.totalBytes(), "the receiver does not know the size");
            assertTrue(received.forMove());
            assertTrue(received.elapsedNanos() >= 0);
            assertEquals(1, t.inProgress(Direction.RECEIVED));
        }
        assertEquals(List.of(), t.inProgress(), "closed transfers are no longer under way");
        assertEquals(0, t.inProgress(Direction.SENT));
        assertEquals(500, t.bytes(Direction.RECEIVED, 2));
        assertEquals(700, t.bytes(Direction.SENT));
        assertEquals(0, t.bytes(Direction.SENT, 2));
        assertEquals(500, t.moveBytesReceived());

        try (SnapshotTransfers.Progress catchUp = t.start(Direction.RECEIVED, 2, "n3", -1, false)) {
            catchUp.add(50); // a lagging replica's catch-up, not a move's copy
        }
        assertEquals(550, t.bytes(Direction.RECEIVED));
        assertEquals(500, t.moveBytesReceived());
    }

    @Test
    void listenersHearOfEachGroupAndDirectionOnce() {
        SnapshotTransfers t = new SnapshotTransfers();
        t.start(Direction.SENT, 1, "", 10, false).close();
        List<String> heard = new ArrayList<>();
        t.watch((d, g) -> heard.add(d.label() + " " + g));
        assertEquals(List.of("sent 1"), heard, "told of what was seen before it watched");
        t.start(Direction.SENT, 1, "", 10, false).close();
        t.start(Direction.RECEIVED, 1, "n2", -1, false).close();
        t.start(Direction.RECEIVED, 1, "n2", -1, false).close();
        assertEquals(List.of("sent 1", "received 1"), heard);
    }
}
