package dev.ballast.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Renders {@code ballast --help} and every command's {@code --help} as a user sees them (80 columns) and
 * checks what picocli cannot: that the summary in the command list is a whole sentence (picocli shows a
 * command's first description line there), that wrapping breaks no word, file name, flag or example
 * apart (picocli breaks after a '.', '-' or '(' inside a word), and that nothing calls the tool
 * character-level where it is not about characters only.
 */
class HelpTextTest {

    private static final int COLUMNS = 80; // picocli's default width
    private static final Pattern SENTENCE = Pattern.compile("^[A-Z].*[.!?]$");
    private static final Pattern CHARACTER_LEVEL = Pattern.compile("\\bchar(acter)?[- ]level\\b", Pattern.CASE_INSENSITIVE);

    /** "" for the top level, else a command name. */
    static Stream<String> commands() {
        List<String> names = new ArrayList<>(List.of(""));
        BallastCommand.commandLine().getSubcommands().keySet().stream().filter(n -> !n.equals("help")).forEach(names::add);
        return names.stream();
    }

    private static CommandLine command(String name) {
        CommandLine top = BallastCommand.commandLine();
        return name.isEmpty() ? top : top.getSubcommands().get(name);
    }

    private static String help(String name, int columns) {
        CommandLine top = BallastCommand.commandLine();
        top.setUsageHelpWidth(columns);
        top.setUsageHelpLongOptionsMaxWidth(columns > COLUMNS ? 60 : 20);
        CommandLine cl = name.isEmpty() ? top : top.getSubcommands().get(name);
        return cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
    }

    private static String label(String name) {
        return name.isEmpty() ? "ballast --help" : "ballast " + name + " --help";
    }

    @ParameterizedTest
    @MethodSource("commands")
    void wrappingBreaksNoWordApart(String name) {
        // Rendered so wide that nothing wraps, the help has every word whole; at 80 columns every word must
        // still be one of those: a piece such as "stability." + "json" or "--clip-" + "norm" is not.
        Set<String> whole = new HashSet<>(Arrays.asList(help(name, 1000).split("\\s+")));
        List<String> broken = new ArrayList<>();
        for (String line : help(name, COLUMNS).split("\n")) {
            for (String word : line.trim().split("\\s+")) {
                if (!word.isEmpty() && !whole.contains(word)) {
                    broken.add("'" + word + "' in: " + line.trim());
                }
            }
        }
        assertTrue(broken.isEmpty(), label(name) + ": words broken across lines (rephrase so that the break falls"
                + " between words):\n" + String.join("\n", broken));
    }

    @ParameterizedTest
    @MethodSource("commands")
    void descriptionAndFooterLinesAreShownAsWrittenNotRewrapped(String name) {
        CommandSpec spec = command(name).getCommandSpec();
        Set<String> lines = new HashSet<>();
        for (String line : help(name, COLUMNS).split("\n")) {
            lines.add(line.stripTrailing());
        }
        List<String> written = new ArrayList<>(List.of(spec.usageMessage().description()));
        written.addAll(List.of(spec.usageMessage().footer()));
        List<String> rewrapped = written.stream().map(line -> line.replace("%%", "%").stripTrailing())
                .filter(line -> !line.isEmpty() && !lines.contains(line)).toList();
        assertTrue(rewrapped.isEmpty(), label(name) + ": lines longer than " + COLUMNS + " columns, which picocli"
                + " wraps (an example split over two lines, a sentence with a ragged break); split them into lines"
                + " that fit:\n" + String.join("\n", rewrapped));
    }

    @ParameterizedTest
    @MethodSource("commands")
    void theSummaryIsOneWholeSentence(String name) {
        String[] description = command(name).getCommandSpec().usageMessage().description();
        assertTrue(description.length > 0, label(name) + ": no description");
        String summary = description[0];
        assertTrue(SENTENCE.matcher(summary).matches() && balanced(summary),
                label(name) + ": the first description line is the command's summary in 'ballast --help'"
                        + " and must be a whole sentence: " + summary);
        if (!name.isEmpty()) {
            Pattern entry = Pattern.compile("^ +" + Pattern.quote(name) + " +" + Pattern.quote(summary) + "$");
            assertTrue(Arrays.stream(help("", COLUMNS).split("\n")).anyMatch(l -> entry.matcher(l).matches()),
                    "'ballast --help' shows the summary of " + name + " cut or wrapped; keep it to one line: " + summary);
        }
    }

    @ParameterizedTest
    @MethodSource("commands")
    void nothingIsCalledCharacterLevelUnlessItIsAboutCharactersOnly(String name) {
        CommandSpec spec = command(name).getCommandSpec();
        List<String> texts = new ArrayList<>();
        texts.add(String.join(" ", spec.usageMessage().description()));
        texts.add(String.join(" ", spec.usageMessage().footer()));
        for (ArgSpec arg : spec.args()) {
            texts.add(String.join(" ", arg.description()));
        }
        for (String text : texts) {
            // Ballast trains word-level models and forecasters too; "--level char" marks a text about characters only.
            assertTrue(!CHARACTER_LEVEL.matcher(text).find() || text.contains("--level char"),
                    label(name) + ": says character-level about more than characters: " + text);
        }
    }

    @Test
    void everyCommandIsCheckedAndTheListShowsThemAll() {
        String top = help("", COLUMNS);
        List<String> names = commands().filter(n -> !n.isEmpty()).toList();
        assertEquals(10, names.size(), names.toString());
        for (String name : names) {
            assertTrue(top.contains("\n  " + name + " "), name);
        }
    }

    private static boolean balanced(String s) {
        int depth = 0;
        for (char c : s.toCharArray()) {
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (depth < 0) {
                return false;
            }
        }
        return depth == 0;
    }
}
