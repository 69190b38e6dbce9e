package io.partita.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SuggestTest {

    @Test
    void editDistance() {
        assertEquals(0, Suggest.distance("port", "port"));
        assertEquals(1, Suggest.distance("clent-port", "client-port"));
        assertEquals(1, Suggest.distance("client_port", "client-port"));
        assertEquals(2, Suggest.distance("raft-prot", "raft-port"));
        assertEquals(3, Suggest.distance("kitten", "sitting"));
        assertEquals(4, Suggest.distance("", "port"));
    }

    @Test
    void suggestsTheClosestWithinTwoEdits() {
        List<String> keys = ConfigLoader.LISTEN_KEYS;
        assertEquals(Optional.of("client-port"), Suggest.closest("clientPort", keys, 2));
        assertEquals(Optional.of("raft-port"), Suggest.closest("raft_port", keys, 2));
        assertEquals(Optional.of("address"), Suggest.closest("adress", keys, 2));
        assertEquals(Optional.empty(), Suggest.closest("host", keys, 2));
        assertEquals(Optional.empty(), Suggest.closest("client-portxyz", keys, 2));
    }
}
