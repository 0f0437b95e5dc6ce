package dev.ballast.cli;

import static dev.ballast.cli.CliRun.ballast;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ballast.inference.ApiKey;
import dev.ballast.engine.InputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ballast serve}'s checks of where to listen and which key to require, all made before the model is
 * loaded (so these runs never open one): each bad value is one line on stderr and exit 2.
 */
class ServeCommandTest {

    @TempDir
    Path tmp;

    private CliRun serve(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "serve";
        all[1] = "--model";
        all[2] = tmp.resolve("no-model-needed").toString();
        System.arraycopy(args, 0, all, 3, args.length);
        return ballast(all);
    }

    private static void assertOneLineBadInput(CliRun o, String... expected) {
        assertEquals(BallastCommand.EXIT_BAD_INPUT, o.code(), o.err());
        String err = o.err().strip();
        assertEquals(1, err.lines().count(), "one line: " + err);
        assertTrue(err.startsWith("ballast serve: "), err);
        for (String e : expected) {
            assertTrue(err.contains(e), "expected '" + e + "' in: " + err);
        }
        assertFalse(err.contains("Exception"), "no exception class names: " + err);
        assertFalse(err.contains("internal error"), err);
        assertEquals("", o.out());
    }

    @Test
    void aHostThatIsNoAddressIsExit2NamingHost() {
        assertOneLineBadInput(serve("--host", "999.1.1.1"), "--host 999.1.1.1", "neither an IP address nor a host name");
        assertOneLineBadInput(serve("--host", "no-such-host.invalid"), "--host no-such-host.invalid");
        assertOneLineBadInput(serve("--host", "127.0.0.1:8080"), "--host 127.0.0.1:8080");
        assertOneLineBadInput(serve("--host", ""), "--host");
    }

    @Test
    void aMissingOrEmptyKeyFileIsExit2() throws IOException {
        Path missing = tmp.resolve("missing.key");
        assertOneLineBadInput(serve("--api-key-file", missing.toString()), "--api-key-file " + missing, "no such file");
        Path empty = Files.writeString(tmp.resolve("empty.key"), " \n");
        assertOneLineBadInput(serve("--api-key-file", empty.toString()), "--api-key-file " + empty, "empty");
        assertOneLineBadInput(serve("--api-key-file", tmp.toString()), "--api-key-file", "directory");
        Path spaced = Files.writeString(tmp.resolve("spaced.key"), "two words\n");
        assertOneLineBadInput(serve("--api-key-file", spaced.toString()), "printable ASCII without spaces");
    }

    @Test
    void keyFlagsExcludeEachOtherAndLimitsAreChecked() throws IOException {
        Path file = Files.writeString(tmp.resolve("k"), "abc");
        assertOneLineBadInput(serve("--api-key", "abc", "--api-key-file", file.toString()), "not both");
        assertOneLineBadInput(serve("--max-connections", "0"), "--max-connections must be at least 1");
        assertOneLineBadInput(serve("--idle-timeout", "0"), "--idle-timeout must be at least 1");
    }

    @Test
    void theKeyComesFromTheFlagTheFileOrTheEnvironment() throws IOException {
        Path file = Files.writeString(tmp.resolve("serve.key"), "  from-file-0123\n", StandardCharsets.UTF_8);
        assertEquals(ApiKey.Check.ACCEPTED, ServeCommand.apiKey(null, file, null).check("Bearer from-file-0123"));
        assertEquals(ApiKey.Check.ACCEPTED, ServeCommand.apiKey("from-flag", null, "from-env").check("Bearer from-flag"));
        assertEquals(ApiKey.Check.ACCEPTED, ServeCommand.apiKey(null, null, "from-env").check("Bearer from-env"));
        assertNull(ServeCommand.apiKey(null, null, null));
        InputException blank = assertThrows(InputException.class, () -> ServeCommand.apiKey(null, null, ""));
        assertTrue(blank.getMessage().contains("BALLAST_API_KEY"), blank.getMessage());
    }
}
