package dev.ballast.training.model;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * Where a model came from: the platform it was trained on (float results differ across JDKs and
 * CPUs), the kernels used, the corpus by content hash, and when. Recorded in {@code model.json}
 * next to the full training configuration, in the spirit of Tribuo's {@code ModelProvenance}.
 */
public record Provenance(String ballastVersion, String created, String javaVersion, String javaVendor,
                         String os, String arch, int cpus, String kernels,
                         String corpus, String corpusSha256, long trainTokens, long validTokens) {

    /** The version of Ballast that is running, from the jar manifest when packaged. */
    public static String currentVersion() {
        String v = Provenance.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** Provenance for a run starting now on this machine. */
    public static Provenance here(String kernels, String corpus, String corpusSha256, long trainTokens, long validTokens) {
        return new Provenance(currentVersion(), Instant.now().toString(),
                System.getProperty("java.version"), System.getProperty("java.vendor"),
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(), kernels,
                corpus, corpusSha256, trainTokens, validTokens);
    }

    public ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("ballast_version", ballastVersion);
        n.put("created", created);
        n.put("java_version", javaVersion);
        n.put("java_vendor", javaVendor);
        n.put("os", os);
        n.put("arch", arch);
        n.put("cpus", cpus);
        n.put("kernels", kernels);
        n.put("corpus", corpus);
        n.put("corpus_sha256", corpusSha256);
        n.put("train_tokens", trainTokens);
        n.put("valid_tokens", validTokens);
        return n;
    }

    public static Provenance fromJson(ObjectNode n) {
        return new Provenance(n.path("ballast_version").asText(""), n.path("created").asText(""),
                n.path("java_version").asText(""), n.path("java_vendor").asText(""),
                n.path("os").asText(""), n.path("arch").asText(""), n.path("cpus").asInt(0),
                n.path("kernels").asText(""), n.path("corpus").asText(""), n.path("corpus_sha256").asText(""),
                n.path("train_tokens").asLong(0), n.path("valid_tokens").asLong(0));
    }
}
