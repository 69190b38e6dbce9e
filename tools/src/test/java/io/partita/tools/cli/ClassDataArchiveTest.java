package io.partita.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The class-data archive of a local node: recorded once, kept only after a clean exit, mapped afterwards. */
class ClassDataArchiveTest {
    @TempDir
    Path dir;

    private Path node() throws Exception {
        return Files.createDirectories(dir.resolve("n1"));
    }

    /** A class path of a jar and a {@code lib/*} directory of two more. */
    private String classPath() throws Exception {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Files.writeString(lib.resolve("a.jar"), "a");
        Files.writeString(lib.resolve("b.jar"), "b");
        Path main = Files.writeString(dir.resolve("main.jar"), "main");
        return main + File.pathSeparator + lib + File.separator + "*";
    }

    private static String option(ClassDataArchive a, String prefix) {
        return a.jvmOptions().stream().filter(o -> o.startsWith(prefix)).findFirst()
                .map(o -> o.substring(prefix.length())).orElse(null);
    }

    @Test
    void theFirstStartRecordsAndACleanExitKeepsTheArchiveForTheNextStart() throws Exception {
        Path node = node();
        String cp = classPath();
        ClassDataArchive first = ClassDataArchive.forNode(node, cp);
        String recording = option(first, "-XX:ArchiveClassesAtExit=");
        assertTrue(recording != null && recording.endsWith(".jsa.new"), first.jvmOptions().toString());
        Files.writeString(Path.of(recording), "archive"); // what the JVM dumps as it exits
        first.processExited(0);
        assertFalse(Files.exists(Path.of(recording)));

        ClassDataArchive second = ClassDataArchive.forNode(node, cp);
        String mapped = option(second, "-XX:SharedArchiveFile=");
        assertEquals(recording.substring(0, recording.length() - ".new".length()), mapped);
        assertEquals("archive", Files.readString(Path.of(mapped)));
        assertTrue(second.jvmOptions().contains(ClassDataArchive.QUIET));
    }

    @Test
    void aRecordingCutShortIsDiscardedNotMapped() throws Exception {
        Path node = node();
        String cp = classPath();
        ClassDataArchive killed = ClassDataArchive.forNode(node, cp);
        Path recording = Path.of(option(killed, "-XX:ArchiveClassesAtExit="));
        Files.writeString(recording, "half an arch");
        killed.processExited(137);
        assertFalse(Files.exists(recording));
        assertRecordsAgain(ClassDataArchive.forNode(node, cp));

        // A recording whose end nobody saw (partita local itself was killed) is not trusted either.
        Files.writeString(recording, "half an arch");
        ClassDataArchive next = ClassDataArchive.forNode(node, cp);
        assertFalse(Files.exists(recording), "an unconfirmed recording is removed before the next start");
        assertRecordsAgain(next);
    }

    private static void assertRecordsAgain(ClassDataArchive a) {
        assertTrue(option(a, "-XX:ArchiveClassesAtExit=") != null, "records again: " + a.jvmOptions());
    }

    @Test
    void aRebuiltJarRecordsANewArchiveAndRemovesTheOutdatedOne() throws Exception {
        Path node = node();
        String cp = classPath();
        ClassDataArchive first = ClassDataArchive.forNode(node, cp);
        Path recording = Path.of(option(first, "-XX:ArchiveClassesAtExit="));
        Files.writeString(recording, "archive");
        first.processExited(0);
        Path old = Path.of(option(ClassDataArchive.forNode(node, cp), "-XX:SharedArchiveFile="));

        Path jar = dir.resolve("lib").resolve("b.jar");
        Files.writeString(jar, "b2", StandardOpenOption.APPEND);
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 5_000));
        ClassDataArchive rebuilt = ClassDataArchive.forNode(node, cp);
        String again = option(rebuilt, "-XX:ArchiveClassesAtExit=");
        assertTrue(again != null, rebuilt.jvmOptions().toString());
        assertNotEquals(recording.toString(), again);
        assertFalse(Files.exists(old), "the archive of the old jars is removed");
    }

    @Test
    void aDirectoryOfClassesOnTheClassPathRunsWithoutArchive() throws Exception {
        Path classes = Files.createDirectories(dir.resolve("classes"));
        String cp = classPath() + File.pathSeparator + classes;
        assertEquals(List.of(), ClassDataArchive.forNode(node(), cp).jvmOptions());
        assertTrue(ClassDataArchive.fingerprint(classPath(), "/jdk", "17").isPresent());
        assertNotEquals(ClassDataArchive.fingerprint(classPath(), "/jdk", "17"),
                ClassDataArchive.fingerprint(classPath(), "/jdk", "21"), "another JVM, another archive");
    }

    /** The options work on this JVM: the recording run dumps, and the next run maps the archive (-Xshare:on). */
    @Test
    void aRealJvmRecordsThenMapsTheArchive() throws Exception {
        List<String> jars = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> e.endsWith(".jar") && Files.isRegularFile(Path.of(e))).limit(2).toList();
        assertEquals(2, jars.size(), "the test class path has jars");
        String cp = String.join(File.pathSeparator, jars);
        Path node = node();
        ClassDataArchive first = ClassDataArchive.forNode(node, cp);
        first.processExited(java(first, cp));
        ClassDataArchive second = ClassDataArchive.forNode(node, cp);
        String mapped = option(second, "-XX:SharedArchiveFile=");
        assertTrue(mapped != null && Files.size(Path.of(mapped)) > 0, second.jvmOptions().toString());
        assertEquals(0, java(second, cp, "-Xshare:on"), "the JVM maps the recorded archive");
    }

    private int java(ClassDataArchive archive, String cp, String... more) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(archive.jvmOptions());
        command.addAll(List.of(more));
        command.addAll(List.of("-cp", cp, "-version"));
        Path out = dir.resolve("java.out");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "java -version finishes");
        if (p.exitValue() != 0) {
            System.err.println(Files.readString(out, StandardCharsets.UTF_8));
        }
        return p.exitValue();
    }
}
