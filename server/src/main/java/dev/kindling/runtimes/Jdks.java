package dev.kindling.runtimes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The JDKs Java functions run on. java11, java17, java21 and java25 each run on a JDK of at least their major
 * version: the one the operator names ({@code --java-home java21=/path}), else the installed JDK of the lowest major
 * that is not below it (found under /usr/lib/jvm and beside the server's own JVM). A runtime without one is refused
 * at CreateFunction with how to install one.
 */
public final class Jdks {
    /** The runtimes of the Java family Kindling serves, by their major version. */
    public static final Map<String, Integer> RUNTIMES = Map.of("java11", 11, "java17", 17, "java21", 21,
            "java25", 25);
    private static final Path JVM_DIR = Path.of("/usr/lib/jvm");

    /** One installed JDK: its home, major version and how it names itself (vendor and version). */
    public record Jdk(Path home, int major, String description) {
        public Path java() {
            return home.resolve("bin").resolve("java");
        }
    }

    private final Map<String, Jdk> byRuntime;

    private Jdks(Map<String, Jdk> byRuntime) {
        this.byRuntime = Map.copyOf(byRuntime);
    }

    /**
     * The JDKs of this host, each runtime's chosen.
     *
     * @param configured runtime to JDK home, as the operator set them; a home that is not a JDK of at least the
     *     runtime's major fails the start
     */
    public static Jdks discover(Map<String, Path> configured) {
        return discover(configured, installed(List.of(Path.of(System.getProperty("java.home"))), JVM_DIR));
    }

    /** As {@link #discover(Map)}, choosing among {@code installed} (first ones preferred on a tie). */
    static Jdks discover(Map<String, Path> configured, List<Jdk> installed) {
        Map<String, Jdk> chosen = new java.util.HashMap<>();
        for (Map.Entry<String, Path> set : configured.entrySet()) {
            Integer wanted = RUNTIMES.get(set.getKey());
            if (wanted == null) {
                throw new IllegalArgumentException("--java-home: " + set.getKey() + " is not a Java runtime; use one"
                        + " of " + RUNTIMES.keySet().stream().sorted().toList());
            }
            Jdk jdk = read(set.getValue()).orElseThrow(() -> new IllegalArgumentException("--java-home: "
                    + set.getValue() + " is not a JDK (no release file or bin/java)"));
            if (jdk.major() < wanted) {
                throw new IllegalArgumentException("--java-home: " + set.getKey() + " needs a JDK of version " + wanted
                        + " or later; " + set.getValue() + " is " + jdk.major());
            }
            chosen.put(set.getKey(), jdk);
        }
        for (Map.Entry<String, Integer> runtime : RUNTIMES.entrySet()) {
            if (!chosen.containsKey(runtime.getKey())) {
                installed.stream().filter(jdk -> jdk.major() >= runtime.getValue())
                        .min(Comparator.comparingInt(Jdk::major))
                        .ifPresent(jdk -> chosen.put(runtime.getKey(), jdk));
            }
        }
        return new Jdks(chosen);
    }

    /** The JDK {@code runtime} runs on; empty when none suits it. */
    public Optional<Jdk> forRuntime(String runtime) {
        return Optional.ofNullable(byRuntime.get(runtime));
    }

    /** Why {@code runtime} cannot run here, in words that say how to fix it; empty when it can (or is not Java). */
    public Optional<String> problem(String runtime) {
        Integer major = RUNTIMES.get(runtime);
        if (major == null || byRuntime.containsKey(runtime)) {
            return Optional.empty();
        }
        String install = major <= 17 ? "apt-get install openjdk-17-jdk-headless" : "install Temurin " + major
                + " (https://adoptium.net) or openjdk-" + major + "-jdk-headless";
        return Optional.of("The runtime parameter of " + runtime + " needs a JDK of version " + major + " or later,"
                + " and this Kindling host has none: " + install + ", then restart Kindling (or name a JDK with"
                + " --java-home " + runtime + "=/path/to/jdk)");
    }

    /** Which JDK serves which runtime, for the server's banner and doctor. */
    public String describe() {
        List<String> lines = new ArrayList<>();
        for (String runtime : RUNTIMES.keySet().stream().sorted(Comparator.comparingInt(RUNTIMES::get)).toList()) {
            lines.add(runtime + ": " + forRuntime(runtime).map(jdk -> jdk.description() + " (" + jdk.home() + ")")
                    .orElse("no JDK of " + RUNTIMES.get(runtime) + " or later"));
        }
        return String.join("; ", lines);
    }

    /** The JDKs at {@code homes} and in {@code jvmDir}, each once (by its real path). */
    static List<Jdk> installed(List<Path> homes, Path jvmDir) {
        Map<Path, Jdk> found = new LinkedHashMap<>();
        homes.forEach(home -> read(home).ifPresent(jdk -> found.putIfAbsent(realPath(jdk.home()), jdk)));
        try (Stream<Path> listed = Files.list(jvmDir)) {
            listed.sorted().forEach(home -> read(home).ifPresent(jdk -> found.putIfAbsent(realPath(home), jdk)));
        } catch (IOException e) {
            // no such directory: only the homes given
        }
        return List.copyOf(found.values());
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path;
        }
    }

    /** A JDK home by its release file (JAVA_VERSION, IMPLEMENTOR); empty if it has no java or no release file. */
    static Optional<Jdk> read(Path home) {
        Path release = home.resolve("release");
        if (!Files.isRegularFile(release) || !Files.isExecutable(home.resolve("bin/java"))) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(release)) {
            p.load(in);
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
        String version = unquote(p.getProperty("JAVA_VERSION", ""));
        String vendor = unquote(p.getProperty("IMPLEMENTOR", "OpenJDK"));
        try {
            String first = version.split("[.+-]")[0];
            int major = Integer.parseInt(first.equals("1") ? version.split("\\.")[1] : first);
            return Optional.of(new Jdk(home.toAbsolutePath().normalize(), major, vendor + " " + version));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String unquote(String value) {
        return value.startsWith("\"") && value.endsWith("\"") && value.length() >= 2
                ? value.substring(1, value.length() - 1) : value;
    }
}
