package dev.ballast.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The layering holds at package level too: no two packages of the main code reach each other through
 * their imports (Maven already refuses cycles between modules). Read from the sources of every module.
 */
class PackageCyclesTest {

    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?(dev\\.ballast\\.[\\w.]+)\\.[A-Z]\\w*(?:\\.\\w+|\\.\\*)?;",
            Pattern.MULTILINE);
    private static final Pattern CODE_NOISE = Pattern.compile("\"(?:\\\\.|[^\"\\\\])*\"|//[^\n]*|/\\*.*?\\*/",
            Pattern.DOTALL);
    private static final Pattern QUALIFIED = Pattern.compile("\\b(dev\\.ballast\\.[a-z][\\w.]*?)\\.[A-Z]\\w*");

    @Test
    void mainPackagesFormNoCycle() throws IOException {
        Map<String, Set<String>> uses = packageGraph(Path.of("..").toAbsolutePath().normalize());
        assertTrue(uses.size() > 20, "found the packages of every module: " + uses.keySet());
        List<String> cycle = findCycle(uses);
        assertEquals(List.of(), cycle, "package cycle");
    }

    static Map<String, Set<String>> packageGraph(Path root) throws IOException {
        Map<String, Set<String>> uses = new TreeMap<>();
        List<Path> sources;
        try (Stream<Path> s = Files.walk(root)) {
            sources = s.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> p.toString().contains("/src/main/java/"))
                    .filter(p -> !p.toString().contains("/target/"))
                    .toList();
        }
        for (Path file : sources) {
            // Code only: a class named in a string (a reflective load) or a comment is no dependency.
            String text = CODE_NOISE.matcher(Files.readString(file)).replaceAll(" ");
            Matcher pm = PACKAGE.matcher(text);
            if (!pm.find()) {
                continue;
            }
            String pkg = pm.group(1);
            Set<String> out = uses.computeIfAbsent(pkg, k -> new TreeSet<>());
            for (Pattern p : List.of(IMPORT, QUALIFIED)) {
                Matcher m = p.matcher(text);
                while (m.find()) {
                    if (!m.group(1).equals(pkg)) {
                        out.add(m.group(1));
                    }
                }
            }
        }
        uses.values().forEach(s -> s.retainAll(uses.keySet()));
        return uses;
    }

    /** A cycle as the list of packages on it (first repeated at the end), or an empty list. */
    static List<String> findCycle(Map<String, Set<String>> uses) {
        Map<String, Integer> state = new TreeMap<>(); // 1 = on the current path, 2 = done
        Deque<String> path = new ArrayDeque<>();
        for (String start : uses.keySet()) {
            List<String> c = visit(start, uses, state, path);
            if (!c.isEmpty()) {
                return c;
            }
        }
        return List.of();
    }

    private static List<String> visit(String p, Map<String, Set<String>> uses, Map<String, Integer> state,
                                      Deque<String> path) {
        Integer s = state.get(p);
        if (s != null && s == 2) {
            return List.of();
        }
        if (s != null && s == 1) {
            List<String> cycle = new ArrayList<>();
            boolean on = false;
            for (String q : (Iterable<String>) path::descendingIterator) {
                on |= q.equals(p);
                if (on) {
                    cycle.add(q);
                }
            }
            cycle.add(p);
            return cycle;
        }
        state.put(p, 1);
        path.push(p);
        for (String q : uses.getOrDefault(p, Set.of())) {
            List<String> c = visit(q, uses, state, path);
            if (!c.isEmpty()) {
                return c;
            }
        }
        path.pop();
        state.put(p, 2);
        return List.of();
    }

    @Test
    void theCycleFinderFindsACycle() {
        Map<String, Set<String>> g = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a"));
        List<String> c = findCycle(new TreeMap<>(g));
        assertEquals(4, c.size(), c.toString());
        assertEquals(c.get(0), c.get(3));
    }
}
