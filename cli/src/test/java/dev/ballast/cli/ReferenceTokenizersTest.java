package dev.ballast.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ballast.engine.Rng;
import dev.ballast.engine.math.KernelProvider;
import dev.ballast.engine.nn.CellType;
import dev.ballast.export.OnnxExporter;
import dev.ballast.export.OnnxMetadata;
import dev.ballast.lm.LanguageModel;
import dev.ballast.lm.ModelConfig;
import dev.ballast.lm.ModelFiles;
import dev.ballast.lm.TrainedModel;
import dev.ballast.tokenizer.word.AnalyzerSpec;
import dev.ballast.tokenizer.word.WordStream;
import dev.ballast.tokenizer.word.WordTokenizer;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reference tokenizers {@code scripts/lm_tokenizer.py} and {@code scripts/lm_tokenizer.js}, given only
 * a saved model's metadata (model.json, and an exported .onnx file), produce the same tokens and ids as
 * the Java tokenizer: on a few thousand generated lines (punctuation, apostrophes, many scripts, combining
 * marks, emoji, unusual white space, {@code <unk>}, numbers, blank lines, CRLF) and, when
 * {@code BALLAST_CORPORA} is set, the first 3,000 lines of Penn Treebank's validation file and of
 * tinyshakespeare. Each runtime's test is skipped, saying why, when {@code python3} or {@code node}
 * cannot be run.
 */
class ReferenceTokenizersTest {

    static final int LINES = 3000;

    @TempDir
    static Path tmp;
    static Path scripts;
    /** One case per text: the text file, the model directory and .onnx file whose vocabulary was fitted on it. */
    static final Map<String, Case> CASES = new LinkedHashMap<>();

    record Case(Path text, Path modelDir, Path onnx, List<String> expectedLines, List<String> tokens) {
    }

    @BeforeAll
    static void writeTextsAndModels() throws IOException {
        scripts = Path.of("").toAbsolutePath().getParent().resolve("scripts");
        addCase("generated", generatedText(new Random(2024)), 2);
        String root = System.getProperty("ballast.corpora");
        if (root != null && !root.isBlank() && !root.startsWith("${")) {
            for (String[] c : new String[][] {{"ptb", "ptb/ptb.valid.txt"}, {"tinyshakespeare", "tinyshakespeare/input.txt"}}) {
                Path f = Path.of(root, c[1]);
                if (Files.isRegularFile(f)) {
                    try (var lines = Files.lines(f, StandardCharsets.UTF_8)) {
                        addCase(c[0], lines.limit(LINES).map(l -> l + "\n").collect(Collectors.joining()), 1);
                    }
                }
            }
        }
    }

    /** Fits a vocabulary on the first two thirds of the lines, so the rest has unknown words, and saves a model with it. */
    private static void addCase(String name, String text, int minFreq) throws IOException {
        String[] lines = text.split("\n", -1); // the text ends with "\n": the last element is empty
        int fitLines = lines.length * 2 / 3;
        String fitText = String.join("\n", Arrays.copyOf(lines, fitLines)) + "\n";
        WordTokenizer tok = WordTokenizer.fit(AnalyzerSpec.defaults(), fitText, minFreq, 0);
        List<String> expected = new ArrayList<>();
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < lines.length - 1; i++) {
            int[] ids = tok.encode(lines[i] + "\n");
            expected.add(Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining(" ")));
            Arrays.stream(ids).forEach(all::add);
        }
        // Lines are tokenized independently, so the whole text gives the lines' ids one after another.
        assertArrayEquals(all.stream().mapToInt(Integer::intValue).toArray(), tok.encode(text), name);
        List<String> tokens = new ArrayList<>();
        WordStream.forEachWord(AnalyzerSpec.defaults(), new StringReader(text), tokens::add);

        Path textFile = Files.writeString(tmp.resolve(name + ".txt"), text, StandardCharsets.UTF_8);
        LanguageModel net = new LanguageModel(new ModelConfig(CellType.LSTM, tok.vocabulary().size(), 4, 4, 1, 0f),
                KernelProvider.scalar());
        net.initialize(new Rng(1));
        TrainedModel model = new TrainedModel(net, tok, null, null, JsonNodeFactory.instance.objectNode());
        Path dir = tmp.resolve(name + "-model");
        ModelFiles.save(model, dir);
        Path onnx = tmp.resolve(name + ".onnx");
        var proto = OnnxExporter.export(model);
        OnnxExporter.write(proto, onnx);
        // The exported metadata carries model.json's tokenizer block whole: rules, start, specials and all.
        JsonNode block = ModelFiles.JSON.readTree(dir.resolve(ModelFiles.MODEL_JSON).toFile()).get("tokenizer");
        String meta = proto.getMetadataPropsList().stream().filter(p -> p.getKey().equals(OnnxMetadata.TOKENIZER))
                .findFirst().orElseThrow().getValue();
        assertEquals(block, ModelFiles.JSON.readTree(meta));
        assertTrue(block.has("rules") && block.has("start") && block.has("special_tokens"), "tokenizer block of " + name);
        CASES.put(name, new Case(textFile, dir, onnx, expected, tokens));
    }

    @Test
    void pythonScriptGivesTheJavaIds() throws Exception {
        String why = unavailable("python3", "--version");
        assumeTrue(why == null, why);
        checkRuntime(List.of("python3", scripts.resolve("lm_tokenizer.py").toString()));
    }

    @Test
    void nodeScriptGivesTheJavaIds() throws Exception {
        String why = unavailable("node", "--version");
        assumeTrue(why == null, why);
        checkRuntime(List.of("node", scripts.resolve("lm_tokenizer.js").toString()));
    }

    private static void checkRuntime(List<String> command) throws Exception {
        assertTrue(CASES.size() >= 1);
        for (var e : CASES.entrySet()) {
            Case c = e.getValue();
            for (Path model : List.of(c.modelDir(), c.onnx())) {
                String label = e.getKey() + " via " + model.getFileName();
                List<String> actual = run(command, model.toString(), "--file", c.text().toString()).lines().toList();
                compareLines(label, c, actual);
            }
            // Tokens too, not only ids: a wrong split into two unknown words would give the same ids.
            JsonNode json = ModelFiles.JSON.readTree(run(command, c.modelDir().toString(), "--file", c.text().toString(), "--json"));
            List<String> tokens = new ArrayList<>();
            json.get("tokens").forEach(t -> tokens.add(t.asText()));
            if (!tokens.equals(c.tokens())) {
                int i = 0;
                while (i < Math.min(tokens.size(), c.tokens().size()) && tokens.get(i).equals(c.tokens().get(i))) {
                    i++;
                }
                fail(e.getKey() + ": " + command.get(0) + " tokens differ first at token " + i + ": Java "
                        + window(c.tokens(), i) + ", script " + window(tokens, i));
            }
            assertEquals(1, json.get("start_id").asInt());
        }
    }

    private static void compareLines(String label, Case c, List<String> actual) throws IOException {
        String[] text = Files.readString(c.text(), StandardCharsets.UTF_8).split("\n", -1);
        for (int i = 0; i < Math.min(actual.size(), c.expectedLines().size()); i++) {
            if (!actual.get(i).equals(c.expectedLines().get(i))) {
                fail(label + ": line " + (i + 1) + " " + escape(text[i]) + ": Java ids [" + c.expectedLines().get(i)
                        + "], script ids [" + actual.get(i) + "]");
            }
        }
        assertEquals(c.expectedLines().size(), actual.size(), label + ": lines of output");
    }

    private static String window(List<String> tokens, int at) {
        return tokens.subList(Math.max(0, at - 3), Math.min(tokens.size(), at + 3)).stream()
                .map(ReferenceTokenizersTest::escape).collect(Collectors.joining(" ", "[", "]"));
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder("\"");
        s.codePoints().forEach(cp -> {
            if (cp >= 0x20 && cp < 0x7F) {
                sb.appendCodePoint(cp);
            } else {
                sb.append(String.format("\\u{%X}", cp));
            }
        });
        return sb.append('"').toString();
    }

    /** Null when {@code command} runs and exits 0, else why not (the reason a test is skipped). */
    private static String unavailable(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return String.join(" ", command) + " did not answer within 60 s";
            }
            return p.exitValue() == 0 ? null : String.join(" ", command) + " exited " + p.exitValue();
        } catch (IOException e) {
            return command[0] + " is not on PATH (" + e.getMessage() + "): reference tokenizer not checked";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static String run(List<String> command, String... args) throws Exception {
        List<String> full = new ArrayList<>(command);
        full.addAll(List.of(args));
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        Process p = new ProcessBuilder(full).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", full) + " did not finish within 300 s");
        }
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), String.join(" ", full) + ": " + stderr);
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    // ---- the generated text ----

    private static final String[] WORDS = {
        "the", "market", "rose", "fell", "ROMEO", "Juliet", "Don't", "don\u2019t", "o'er", "king\u2019s", "rock'n'roll",
        "'tis", "students'", "it's'", "x'y'z", "N", "12.5", "1,000", "3rd", "1990s", "x\u00b2", "\u00bd", "\u2163", "\u0663\u0664",
        "caf\u00e9", "cafe\u0301", "na\u00efve", "M\u00fcller", "Stra\u00dfe", "\u1e9e", "\u0395\u03bb\u03bb\u03ac\u03b4\u03b1",
        "\u041c\u043e\u0441\u043a\u0432\u0430", "\u6771\u4eac", "\u0928\u092e\u0938\u094d\u0924\u0947",
        "\u0645\u0631\u062d\u0628\u0627", "\u05e9\u05b8\u05c1\u05dc\u05d5\u05b9\u05dd", "\ufb01ne", "\ud835\udd18\ud835\udd2b\ud835\udd26",
        "\u0301x", "<unk>", "<eos>", "<UNK>", "<unk", "eos>", "a<unk>b", "<<eos>>", "<unk>'s", "\ud83d\ude00",
        "\ud83d\udc4d\ud83c\udffd", "\ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67", "--", "...", "\u2026", "\u2014", "\u2013",
        "\u00ab", "\u00bb", "\u00bf", "\u00a1", "%", "&", "@", "#", "*", "/", "\\", "\"", "(", ")", "[", "]", "{", "}", ".", ",",
        ";", ":", "!", "?", "'", "\u2019", "$", "US$", "\u20ac5", "\u200b", "\ufeff", "\u00ad", "\u0085", "\u0007", "\u0000",
    };
    private static final String[] SPACES = {" ", " ", " ", " ", " ", "  ", "", "\t", "\u00a0", "\u2003", "\u3000", "\u2028",
        "\u001f", "\u000b", "\f", "\r", "\u202f", "\u2007"};
    /** Blocks assigned long before Unicode 13, so Java 17, Python and Node agree on their categories. */
    private static final int[][] BLOCKS = {{0xA0, 0x17F}, {0x300, 0x36F}, {0x391, 0x3C9}, {0x410, 0x44F}, {0x5D0, 0x5EA},
        {0x600, 0x6FF}, {0x900, 0x97F}, {0x2010, 0x205E}, {0x2070, 0x218B}, {0x2190, 0x21FF}, {0x3040, 0x30FF},
        {0x4E00, 0x4FFF}, {0xAC00, 0xACFF}, {0x1F300, 0x1F5FF}};

    static String generatedText(Random r) {
        StringBuilder sb = new StringBuilder();
        for (int line = 0; line < LINES; line++) {
            int kind = r.nextInt(100);
            if (kind < 5) {
                // a blank line
            } else if (kind < 7) {
                sb.append(SPACES[r.nextInt(SPACES.length)]).append(' ');
            } else {
                int words = 1 + r.nextInt(14);
                for (int w = 0; w < words; w++) {
                    if (w > 0) {
                        sb.append(SPACES[r.nextInt(SPACES.length)]);
                    }
                    if (r.nextInt(6) == 0) {
                        int[] b = BLOCKS[r.nextInt(BLOCKS.length)];
                        for (int k = 1 + r.nextInt(3); k > 0; k--) {
                            int cp = b[0] + r.nextInt(b[1] - b[0] + 1);
                            if (Character.getType(cp) != Character.UNASSIGNED) {
                                sb.appendCodePoint(cp);
                            }
                        }
                    } else {
                        sb.append(WORDS[r.nextInt(WORDS.length)]);
                    }
                }
            }
            sb.append(r.nextInt(20) == 0 ? "\r\n" : "\n");
        }
        return sb.toString();
    }
}
