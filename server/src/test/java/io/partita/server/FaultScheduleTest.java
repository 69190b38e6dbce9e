package io.partita.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partita.server.FaultSchedule.Kind;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A seed must replay its schedule, and the first steps must cover every kind the run promises. */
class FaultScheduleTest {
    private static final List<Kind> ALL = List.of(Kind.values());

    private static FaultSchedule schedule(long seed) {
        return FaultSchedule.random(seed, Duration.ofSeconds(180), ALL, ALL, 3, 8, 4);
    }

    @Test
    void theSameSeedGivesTheSameScheduleAndItsDescriptionSaysHowToReplayIt() {
        assertEquals(schedule(42).describe(), schedule(42).describe());
        assertNotEquals(schedule(42).describe(), schedule(43).describe());
        assertTrue(schedule(-7).describe().startsWith("fault schedule seed -7 (replay: -Dpartita.faults.seed=-7)"),
                schedule(-7).describe());
    }

    @Test
    void theFirstStepsCoverEveryKindOnce() {
        for (long seed = 0; seed < 20; seed++) {
            List<String> lines = Arrays.asList(schedule(seed).describe().split("\n"));
            String first = String.join("\n", lines.subList(1, 1 + ALL.size()));
            for (String kind : List.of("kill -9 ", "SIGSTOP", "its messages to the others dropped",
                    "the others' messages to it dropped", "both ways", "wipe its data directory", "with its clock")) {
                assertTrue(first.contains(kind), "seed " + seed + " misses " + kind + ":\n" + first);
            }
        }
    }

    @Test
    void someRandomStepsComposeAPartitionWithAPauseOrAKill() {
        String described = schedule(1).describe();
        assertTrue(described.contains(" + SIGSTOP") || described.contains(" + kill -9"), described);
    }
}
