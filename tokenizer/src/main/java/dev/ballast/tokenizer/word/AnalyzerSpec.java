package dev.ballast.tokenizer.word;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharFilterFactory;
import org.apache.lucene.analysis.TokenFilterFactory;
import org.apache.lucene.analysis.TokenizerFactory;
import org.apache.lucene.analysis.ar.ArabicAnalyzer;
import org.apache.lucene.analysis.bg.BulgarianAnalyzer;
import org.apache.lucene.analysis.br.BrazilianAnalyzer;
import org.apache.lucene.analysis.ca.CatalanAnalyzer;
import org.apache.lucene.analysis.cjk.CJKAnalyzer;
import org.apache.lucene.analysis.classic.ClassicAnalyzer;
import org.apache.lucene.analysis.core.KeywordAnalyzer;
import org.apache.lucene.analysis.core.SimpleAnalyzer;
import org.apache.lucene.analysis.core.StopAnalyzer;
import org.apache.lucene.analysis.core.WhitespaceAnalyzer;
import org.apache.lucene.analysis.custom.CustomAnalyzer;
import org.apache.lucene.analysis.cz.CzechAnalyzer;
import org.apache.lucene.analysis.da.DanishAnalyzer;
import org.apache.lucene.analysis.de.GermanAnalyzer;
import org.apache.lucene.analysis.el.GreekAnalyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.es.SpanishAnalyzer;
import org.apache.lucene.analysis.fi.FinnishAnalyzer;
import org.apache.lucene.analysis.fr.FrenchAnalyzer;
import org.apache.lucene.analysis.hi.HindiAnalyzer;
import org.apache.lucene.analysis.hu.HungarianAnalyzer;
import org.apache.lucene.analysis.id.IndonesianAnalyzer;
import org.apache.lucene.analysis.it.ItalianAnalyzer;
import org.apache.lucene.analysis.nl.DutchAnalyzer;
import org.apache.lucene.analysis.no.NorwegianAnalyzer;
import org.apache.lucene.analysis.pt.PortugueseAnalyzer;
import org.apache.lucene.analysis.ro.RomanianAnalyzer;
import org.apache.lucene.analysis.ru.RussianAnalyzer;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.sv.SwedishAnalyzer;
import org.apache.lucene.analysis.th.ThaiAnalyzer;
import org.apache.lucene.analysis.tr.TurkishAnalyzer;

/**
 * Which Lucene {@link Analyzer} turns a line of text into words: a preset name or a custom chain.
 * The spec string is what a model saves, so the same analyzer can be rebuilt at generation time.
 *
 * <h2>Presets</h2>
 * {@code lm} (the default for language modelling, {@link LmTokenizer}: words and single
 * punctuation characters as tokens, {@code <unk>} and {@code <eos>} kept whole, case kept, no stemming, no
 * stop words), {@code standard}, {@code whitespace},
 * {@code classic}, {@code simple}, {@code stop}, {@code keyword}, {@code english}, and Lucene's
 * language analyzers ({@code french}, {@code german}, {@code spanish}, ...; see {@link #presetNames()}).
 * The search-oriented presets lowercase, drop punctuation and (for languages) stem and remove stop
 * words: they are available but make generated text hard to read.
 *
 * <h2>Custom chains</h2>
 * Stages separated by {@code |}; each stage is {@code kind=name} followed by optional
 * {@code ,param=value} pairs, where kind is {@code charfilter}, {@code tokenizer} (exactly one) or
 * {@code filter}, and name is the Lucene factory SPI name. Order: char filters, the tokenizer, then
 * token filters in the order written. A backslash before {@code |}, {@code ,} or {@code \} makes
 * it literal; other backslashes are kept (so regular expressions read naturally).
 *
 * <pre>{@code
 * AnalyzerSpec.parse("whitespace");
 * AnalyzerSpec.parse("tokenizer=standard|filter=lowercase|filter=porterstem");
 * AnalyzerSpec.parse("charfilter=htmlstrip|tokenizer=pattern,pattern=[a-z]+,group=0");
 * }</pre>
 *
 * <p>Errors from {@link #parse} are {@link IllegalArgumentException}s with a one-line message
 * naming the spec part at fault.
 */
public final class AnalyzerSpec {

    /** The preset used when no analyzer is given. */
    public static final String DEFAULT = "lm";


    private static final Map<String, Supplier<Analyzer>> PRESETS = presets();
    private static final Set<String> KINDS = Set.of("charfilter", "tokenizer", "filter");

    private final String spec;

    private AnalyzerSpec(String spec) {
        this.spec = spec;
    }

    /** The default LM preset. */
    public static AnalyzerSpec defaults() {
        return new AnalyzerSpec(DEFAULT);
    }

    /**
     * Parses and checks a spec by building its analyzer once.
     *
     * @throws IllegalArgumentException naming the unknown preset, kind, factory or parameter
     */
    public static AnalyzerSpec parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("analyzer spec is empty; give a preset (" + String.join(", ", presetNames())
                    + ") or a chain like tokenizer=standard|filter=lowercase");
        }
        AnalyzerSpec parsed = new AnalyzerSpec(spec.strip());
        parsed.analyzer().close(); // validates: unknown names and parameters fail here, not mid-training
        return parsed;
    }

    /** The preset names, sorted. */
    public static List<String> presetNames() {
        return new ArrayList<>(new TreeMap<>(PRESETS).keySet());
    }

    /** The spec as given (trimmed); {@code parse(spec())} rebuilds the same analyzer. */
    public String spec() {
        return spec;
    }

    /** Whether this is a custom chain rather than a preset. */
    public boolean isCustom() {
        return spec.contains("=");
    }

    /** Builds a new analyzer; the caller closes it. */
    public Analyzer analyzer() {
        if (!isCustom()) {
            Supplier<Analyzer> preset = PRESETS.get(spec);
            if (preset == null) {
                throw new IllegalArgumentException("unknown analyzer '" + spec + "'; presets are: "
                        + String.join(", ", presetNames()) + " (or a chain like tokenizer=standard|filter=lowercase)");
            }
            return preset.get();
        }
        return custom(spec);
    }

    private static Analyzer custom(String spec) {
        CustomAnalyzer.Builder b = CustomAnalyzer.builder();
        boolean tokenizer = false;
        for (String stage : split(spec, '|')) {
            List<String> parts = split(stage, ',');
            String[] head = keyValue(parts.get(0), stage);
            String kind = head[0];
            String name = head[1];
            if (!KINDS.contains(kind)) {
                throw new IllegalArgumentException("analyzer spec: unknown key '" + kind + "' in '" + stage
                        + "'; stages are charfilter=NAME, tokenizer=NAME, filter=NAME");
            }
            Map<String, String> params = new LinkedHashMap<>();
            for (String p : parts.subList(1, parts.size())) {
                String[] kv = keyValue(p, stage);
                params.put(kv[0], kv[1]);
            }
            try {
                switch (kind) {
                    case "tokenizer" -> {
                        if (tokenizer) {
                            throw new IllegalArgumentException("analyzer spec: more than one tokenizer ('" + stage + "')");
                        }
                        tokenizer = true;
                        checkName(name, "tokenizer", TokenizerFactory.availableTokenizers());
                        b.withTokenizer(name, params);
                    }
                    case "filter" -> {
                        checkName(name, "filter", TokenFilterFactory.availableTokenFilters());
                        b.addTokenFilter(name, params);
                    }
                    default -> {
                        checkName(name, "charfilter", CharFilterFactory.availableCharFilters());
                        b.addCharFilter(name, params);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (IllegalArgumentException | IllegalStateException e) {
                String msg = String.valueOf(e.getMessage());
                if (msg.startsWith("analyzer spec:")) {
                    throw e;
                }
                throw new IllegalArgumentException("analyzer spec: " + kind + " '" + name + "': " + firstLine(msg));
            }
        }
        if (!tokenizer) {
            throw new IllegalArgumentException("analyzer spec '" + spec + "' has no tokenizer=NAME stage");
        }
        return b.build();
    }

    private static void checkName(String name, String kind, Set<String> known) {
        // Lucene looks factory names up case-insensitively (htmlstrip = htmlStrip).
        if (known.stream().noneMatch(k -> k.equalsIgnoreCase(name))) {
            throw new IllegalArgumentException("analyzer spec: unknown " + kind + " '" + name + "'; known: "
                    + String.join(", ", new TreeSet<>(known)));
        }
    }

    private static String[] keyValue(String part, String stage) {
        int eq = part.indexOf('=');
        if (eq <= 0 || eq == part.length() - 1) {
            throw new IllegalArgumentException("analyzer spec: '" + part + "' in '" + stage + "' is not key=value");
        }
        return new String[] {part.substring(0, eq).strip(), part.substring(eq + 1).strip()};
    }

    /** Splits on {@code sep}, honouring backslash escapes of the separators and of backslash. */
    static List<String> split(String s, char sep) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(i + 1);
                if (n == sep) {
                    cur.append(c).append(n); // keep the escape for the inner split; unescaped at the end
                    i++;
                    continue;
                }
                if (n == '\\' || n == '|' || n == ',') {
                    cur.append(c).append(n);
                    i++;
                    continue;
                }
            }
            if (c == sep) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        if (sep == ',') { // the innermost split: now drop the escapes
            out.replaceAll(AnalyzerSpec::unescape);
        }
        return out;
    }

    private static String unescape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length() && "\\|,".indexOf(s.charAt(i + 1)) >= 0) {
                sb.append(s.charAt(++i));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static Map<String, Supplier<Analyzer>> presets() {
        Map<String, Supplier<Analyzer>> m = new LinkedHashMap<>();
        m.put(DEFAULT, AnalyzerSpec::lm);
        m.put("standard", StandardAnalyzer::new);
        m.put("whitespace", WhitespaceAnalyzer::new);
        m.put("classic", ClassicAnalyzer::new);
        m.put("simple", SimpleAnalyzer::new);
        m.put("stop", () -> new StopAnalyzer(EnglishAnalyzer.ENGLISH_STOP_WORDS_SET));
        m.put("keyword", KeywordAnalyzer::new);
        m.put("english", EnglishAnalyzer::new);
        m.put("arabic", ArabicAnalyzer::new);
        m.put("bulgarian", BulgarianAnalyzer::new);
        m.put("brazilian", BrazilianAnalyzer::new);
        m.put("catalan", CatalanAnalyzer::new);
        m.put("cjk", CJKAnalyzer::new);
        m.put("czech", CzechAnalyzer::new);
        m.put("danish", DanishAnalyzer::new);
        m.put("dutch", DutchAnalyzer::new);
        m.put("finnish", FinnishAnalyzer::new);
        m.put("french", FrenchAnalyzer::new);
        m.put("german", GermanAnalyzer::new);
        m.put("greek", GreekAnalyzer::new);
        m.put("hindi", HindiAnalyzer::new);
        m.put("hungarian", HungarianAnalyzer::new);
        m.put("indonesian", IndonesianAnalyzer::new);
        m.put("italian", ItalianAnalyzer::new);
        m.put("norwegian", NorwegianAnalyzer::new);
        m.put("portuguese", PortugueseAnalyzer::new);
        m.put("romanian", RomanianAnalyzer::new);
        m.put("russian", RussianAnalyzer::new);
        m.put("spanish", SpanishAnalyzer::new);
        m.put("swedish", SwedishAnalyzer::new);
        m.put("thai", ThaiAnalyzer::new);
        m.put("turkish", TurkishAnalyzer::new);
        return Collections.unmodifiableMap(m);
    }

    private static Analyzer lm() {
        return new Analyzer() {
            @Override
            protected TokenStreamComponents createComponents(String fieldName) {
                return new TokenStreamComponents(new LmTokenizer());
            }
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AnalyzerSpec a && a.spec.equals(spec);
    }

    @Override
    public int hashCode() {
        return spec.hashCode();
    }

    @Override
    public String toString() {
        return spec;
    }
}
