package dev.ballast.training.model;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ballast.engine.io.Json;

import java.time.Instant;

/**
 * Where a model came from: the platform it was trained on (float results differ across JDKs and CPUs),
 * the kernels used, the training data by name and content hash, and when. The {@code provenance} block of
 * every model file ({@link ModelHeader}), in the spirit of Tribuo's {@code ModelProvenance}.
 *
 * <p>It names the data, it does not locate it: {@code corpus} keeps only the last element of each path it
 * is given ({@code /home/me/data/tiny.txt} becomes {@code tiny.txt}; {@code a/,b.txt} becomes
 * {@code a,b.txt}), so a model file holds no directory of the machine it was trained on. The hash is what
 * identifies the data. Strings are never null (an unknown one is empty and left out of the JSON); counts
 * that are 0 are left out too.
 *
 * @param corpus       the training data's name: a corpus for a language model, a series for a forecaster
 *                     (read from {@code source} in forecaster files of format version 1)
 * @param corpusSha256 hex SHA-256 of the training data, empty when not known
 * @param trainTokens  training tokens (values), 0 when not known
 * @param validTokens  validation tokens (values), 0 when not known
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Provenance(String ballastVersion, String created, String javaVersion, String javaVendor,
                         String os, String arch, @JsonInclude(JsonInclude.Include.NON_DEFAULT) int cpus,
                         String kernels, @JsonAlias("source") String corpus, String corpusSha256,
                         @JsonInclude(JsonInclude.Include.NON_DEFAULT) long trainTokens,
                         @JsonInclude(JsonInclude.Include.NON_DEFAULT) long validTokens) {

    public Provenance {
        ballastVersion = orEmpty(ballastVersion);
        created = orEmpty(created);
        javaVersion = orEmpty(javaVersion);
        javaVendor = orEmpty(javaVendor);
        os = orEmpty(os);
        arch = orEmpty(arch);
        kernels = orEmpty(kernels);
        corpus = dataName(corpus);
        corpusSha256 = orEmpty(corpusSha256);
    }

    /** The version of Ballast that is running, from the jar manifest when packaged. */
    public static String currentVersion() {
        String v = Provenance.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /**
     * Provenance for a run starting now on this machine.
     *
     * @param kernels the kernels' name, or null when not known
     * @param corpus  what the data was (a path, names, {@code builtin}); reduced to names, see above
     */
    public static Provenance here(String kernels, String corpus, String corpusSha256, long trainTokens, long validTokens) {
        return new Provenance(currentVersion(), Instant.now().toString(),
                System.getProperty("java.version"), System.getProperty("java.vendor"),
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(), kernels,
                corpus, corpusSha256, trainTokens, validTokens);
    }

    /** The {@code provenance} block as written in model files. */
    public ObjectNode toJson() {
        return Json.MAPPER.valueToTree(this);
    }

    /**
     * {@code source} with every comma-separated part reduced to its last path element:
     * {@code /data/corpora/tiny.txt} is {@code tiny.txt}, {@code C:\data\x.csv} is {@code x.csv},
     * {@code notes/} is {@code notes}, and a name ({@code tinyshakespeare}, {@code builtin}) stays as it is.
     */
    public static String dataName(String source) {
        if (source == null) {
            return "";
        }
        String[] parts = source.split(",", -1);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].strip();
            int end = p.length();
            while (end > 0 && isSeparator(p.charAt(end - 1))) {
                end--;
            }
            int start = end;
            while (start > 0 && !isSeparator(p.charAt(start - 1))) {
                start--;
            }
            sb.append(i == 0 ? "" : ",").append(p, start, end);
        }
        return sb.toString();
    }

    private static boolean isSeparator(char c) {
        return c == '/' || c == '\\';
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
