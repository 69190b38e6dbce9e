package io.partita.server.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import io.partita.server.architecture.fixture.ImportsEverything;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pins the module boundaries of the issue "Peer speed" so they cannot erode: the front end reaches Raft only through
 * the raft module's facade ({@code GroupOps}), the client speaks only the protocol, and the storage engine knows
 * neither Raft nor the network. Runs in the server's tests because they see every module's main classes (the client
 * is a test dependency). The import is checked to hold every layer a rule names, so no rule passes vacuously.
 */
class ArchitectureTest {
    private static final String RATIS = "org.apache.ratis..";

    static final ArchRule FRONT_END = forbid("io.partita.server.frontend..", RATIS, "io.partita.raft.command.proto..")
            .because("the front end hands operations to the raft module (GroupOps) and gets typed results back;"
                    + " Ratis and the log format are the raft module's to change");

    static final ArchRule CLIENT = forbid("io.partita.client..", RATIS, "io.partita.raft..", "io.partita.server..",
            "io.partita.engine..")
            .because("the client depends on the protocol only");

    static final ArchRule ENGINE = forbid("io.partita.engine..", RATIS, "io.grpc..")
            .because("the storage engine knows neither Raft nor the network");

    private static JavaClasses mainClasses;

    /** Classes matching {@code layer} may not depend on (import, call, extend, name) any class of {@code forbidden}. */
    static ArchRule forbid(String layer, String... forbidden) {
        return noClasses().that().resideInAPackage(layer)
                .should().dependOnClassesThat().resideInAnyPackage(forbidden);
    }

    /** Every main class of Partita on the class path: no test classes, test jars or other libraries. */
    @BeforeAll
    static void importMainClasses() {
        mainClasses = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ArchitectureTest::notATestJar)
                .importPackages("io.partita");
        for (String layer : List.of("io.partita.server.frontend", "io.partita.client", "io.partita.engine")) {
            assertTrue(mainClasses.containPackage(layer), "no main classes of " + layer + " on the class path");
        }
    }

    private static boolean notATestJar(Location location) {
        return !location.contains("-tests.jar");
    }

    @Test
    void theFrontEndImportsNoRatisAndNoLogCommands() {
        FRONT_END.check(mainClasses);
    }

    @Test
    void theClientImportsOnlyTheProtocol() {
        CLIENT.check(mainClasses);
    }

    @Test
    void theEngineImportsNoRatisAndNoGrpc() {
        ENGINE.check(mainClasses);
    }

    /** Each rule, aimed at a class that uses every forbidden package, reports each of them. */
    @Test
    void everyRuleCatchesEachForbiddenPackage() {
        JavaClasses fixture = new ClassFileImporter().importClasses(ImportsEverything.class);
        String layer = ImportsEverything.class.getPackageName() + "..";
        for (List<String> forbidden : List.of(
                List.of(RATIS, "io.partita.raft.command.proto.."),
                List.of(RATIS, "io.partita.raft..", "io.partita.server..", "io.partita.engine.."),
                List.of(RATIS, "io.grpc.."))) {
            for (String pkg : forbidden) {
                EvaluationResult result = forbid(layer, pkg).evaluate(fixture);
                assertTrue(result.hasViolation(), "a rule forbidding " + pkg + " let the fixture through");
            }
        }
    }
}
