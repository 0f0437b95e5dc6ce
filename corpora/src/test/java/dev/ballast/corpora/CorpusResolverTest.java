package dev.ballast.corpora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusResolverTest {

    @TempDir
    Path root;

    private String savedProperty;
    private String sharedCorpora;

    @BeforeEach
    void saveProperty() {
        savedProperty = System.getProperty(CorpusResolver.ROOT_PROPERTY);
        // Maven passes "${env.BALLAST_CORPORA}" through unexpanded when the variable is unset.
        sharedCorpora = savedProperty == null || savedProperty.isBlank() || savedProperty.startsWith("${")
                ? null : savedProperty;
    }

    @AfterEach
    void restoreProperty() {
        if (savedProperty == null) {
            System.clearProperty(CorpusResolver.ROOT_PROPERTY);
        } else {
            System.setProperty(CorpusResolver.ROOT_PROPERTY, savedProperty);
        }
    }

    @Test
    void existingPathIsUsedAsIs() throws IOException {
        Path file = Files.writeString(root.resolve("mine.txt"), "text");
        assertEquals(file, CorpusResolver.resolve(file.toString()));
        assertEquals(root, CorpusResolver.resolve(root.toString()));
    }

    @Test
    void bareNameIsLookedUpUnderThePropertyRoot() throws IOException {
        Files.createDirectories(root.resolve("poems"));
        Files.writeString(root.resolve("notes.txt"), "x");
        System.setProperty(CorpusResolver.ROOT_PROPERTY, root.toString());
        assertEquals(root.resolve("poems"), CorpusResolver.resolve("poems"));
        assertEquals(root.resolve("notes.txt"), CorpusResolver.resolve("notes.txt"));
    }

    @Test
    void unknownNameListsTheAvailableNames() throws IOException {
        Files.createDirectories(root.resolve("ptb"));
        Files.createDirectories(root.resolve("alpha"));
        Files.createDirectories(root.resolve(".cache"));
        System.setProperty(CorpusResolver.ROOT_PROPERTY, root.toString());
        CorpusException e = assertThrows(CorpusException.class, () -> CorpusResolver.resolve("shakespear"));
        assertEquals("corpus not found: shakespear is not in " + root + " (BALLAST_CORPORA); available: alpha, ptb, or builtin",
                e.getMessage());
    }

    @Test
    void unsetRootIsSaidInTheMessage() {
        CorpusException e = assertThrows(CorpusException.class, () -> CorpusResolver.resolve("tinyshakespeare", null));
        assertTrue(e.getMessage().contains("BALLAST_CORPORA is not set"), e.getMessage());
    }

    @Test
    void missingPathWithSeparatorIsNotLookedUpByName() throws IOException {
        Files.createDirectories(root.resolve("poems"));
        CorpusException e = assertThrows(CorpusException.class,
                () -> CorpusResolver.resolve("nowhere/poems", root.toString()));
        assertEquals("corpus not found: nowhere/poems", e.getMessage());
    }

    @Test
    void builtinIsRecognisedByName() {
        assertTrue(CorpusResolver.isBuiltin("builtin"));
        assertFalse(CorpusResolver.isBuiltin("Builtin"));
        assertFalse(CorpusResolver.isBuiltin("tinyshakespeare"));
    }

    @Test
    void tinyshakespeareResolvesToTheSharedFolder() {
        assumeTrue(sharedCorpora != null, "ballast.corpora is not set");
        Path resolved = CorpusResolver.resolve("tinyshakespeare");
        assertEquals(Path.of(sharedCorpora, "tinyshakespeare"), resolved);
        // The folder holds input.txt alone, so reading the folder reads that file.
        String text = TextReader.read(resolved, false);
        assertTrue(text.startsWith("First Citizen:"), text.substring(0, 40));
        assertEquals(TextReader.read(resolved.resolve("input.txt"), false).strip(), text.strip());
    }
}
