package io.partita.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class CommonPoolParallelismTest {

    @Test
    void smallMachinesGetAPoolOfTwo() {
        for (int cpus : new int[] {1, 2}) {
            Properties p = new Properties();
            assertTrue(CommonPoolParallelism.ensure(p, cpus));
            assertEquals("2", p.getProperty(CommonPoolParallelism.PROPERTY));
        }
    }

    @Test
    void largerMachinesKeepTheJvmDefault() {
        Properties p = new Properties();
        assertFalse(CommonPoolParallelism.ensure(p, 3));
        assertNull(p.getProperty(CommonPoolParallelism.PROPERTY));
    }

    @Test
    void anOperatorsSettingWins() {
        Properties p = new Properties();
        p.setProperty(CommonPoolParallelism.PROPERTY, "1");
        assertFalse(CommonPoolParallelism.ensure(p, 2));
        assertEquals("1", p.getProperty(CommonPoolParallelism.PROPERTY));
    }
}
