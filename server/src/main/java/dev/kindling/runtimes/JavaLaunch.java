package dev.kindling.runtimes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The JVM command of a Java function. Everything is on the class path, in a fixed order: Kindling's runtime (first,
 * so its aws-lambda-java-core wins over an older copy in the function), the function's code (its root, or the jar
 * of it a SnapStart cache was trained with), the function's lib/*.jar, then its layers' java/lib/*.jar. The class
 * path, not a class loader of our own, is what lets an ahead-of-time cache cover the function's classes.
 *
 * <p>The heap and the JVM's other memory are sized from MemorySize as AWS sizes them (85% heap, 10% metaspace, 5%
 * code cache). Unless the function sets JAVA_TOOL_OPTIONS itself (then its options alone tune the JVM, as on AWS),
 * the JVM is tuned for short lives as AWS tunes it: the serial collector, and compilation stopped at C1.
 */
final class JavaLaunch {
    static final String MAIN_CLASS = "dev.kindling.javaruntime.Bootstrap";
    static final String RUNTIME_JAR = "kindling-java-runtime.jar";
    static final List<String> RUNTIME_LIBS = List.of("lib/aws-lambda-java-core.jar",
            "lib/aws-lambda-java-serialization.jar");
    /** In a SnapStart directory: the function's root classes and files as one jar (caches cover jars only). */
    static final String TASK_JAR = "task.jar";
    static final String TRAINING_VARIABLE = "_KINDLING_SNAPSTART_TRAINING";
    static final String CACHE_VARIABLE = "_KINDLING_SNAPSTART_CACHE";

    private JavaLaunch() {}

    /** The cache file's name for a JDK: an AOT cache (JEP 483/514) from JDK 25, an AppCDS archive before. */
    static String cacheFileName(Jdks.Jdk jdk) {
        return jdk.major() >= 25 ? "app.aot" : "app.jsa";
    }

    static RuntimeCatalog.Launch launch(Jdks.Jdk jdk, RuntimeCatalog.Paths paths, int memoryMb,
            Map<String, String> functionEnvironment, JavaCacheMode mode, String note) {
        Path runtimeRoot = paths.runtimeRoot();
        List<String> command = new ArrayList<>();
        command.add(jdk.java().toString());
        long kb = memoryMb * 1024L;
        command.add("-XX:MaxHeapSize=" + kb * 85 / 100 + "k");
        command.add("-XX:MaxMetaspaceSize=" + kb * 10 / 100 + "k");
        command.add("-XX:ReservedCodeCacheSize=" + Math.max(kb * 5 / 100, 8 * 1024) + "k");
        if (!functionEnvironment.containsKey("JAVA_TOOL_OPTIONS")) {
            command.addAll(List.of("-XX:+UseSerialGC", "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1"));
        }
        // -Xshare:auto is the default (the JDK's own class data archive); saying it would clash with AOTCacheOutput.
        Map<String, String> environment = new LinkedHashMap<>();
        Path cache = runtimeRoot.resolve(cacheFileName(jdk));
        boolean aot = jdk.major() >= 25;
        if (mode == JavaCacheMode.TRAIN) {
            command.add((aot ? "-XX:AOTCacheOutput=" : "-XX:ArchiveClassesAtExit=") + cache);
            environment.put(TRAINING_VARIABLE, "1");
        } else if (mode == JavaCacheMode.USE) {
            command.add((aot ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=") + cache);
            environment.put(CACHE_VARIABLE, cache.toString());
        }
        command.add("-cp");
        command.add(String.join(":", classPath(paths, mode != JavaCacheMode.NONE)));
        command.add(MAIN_CLASS);
        return new RuntimeCatalog.Launch(command, environment, note);
    }

    /** The class path as the environment sees it; jars listed one by one (caches want no wildcards). */
    static List<String> classPath(RuntimeCatalog.Paths paths, boolean taskJar) {
        List<String> entries = new ArrayList<>();
        entries.add(paths.runtimeRoot().resolve(RUNTIME_JAR).toString());
        RUNTIME_LIBS.forEach(lib -> entries.add(paths.runtimeRoot().resolve(lib).toString()));
        entries.add(taskJar ? paths.runtimeRoot().resolve(TASK_JAR).toString() : paths.taskRoot().toString());
        jars(paths.hostTaskRoot().resolve("lib")).forEach(jar -> entries.add(paths.taskRoot().resolve("lib")
                .resolve(jar).toString()));
        paths.hostOpt().ifPresent(opt -> jars(opt.resolve("java/lib")).forEach(jar -> entries.add(paths.opt()
                .resolve("java/lib").resolve(jar).toString())));
        return entries;
    }

    /** The names of the jars directly in {@code dir}, sorted; none when it is missing. */
    static List<String> jars(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(name -> name.endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    static Optional<String> unknownJdkNote(String runtime, Jdks.Jdk jdk) {
        int wanted = Jdks.RUNTIMES.getOrDefault(runtime, jdk.major());
        return wanted == jdk.major() ? Optional.empty() : Optional.of("Kindling: " + runtime + " runs on "
                + jdk.description() + " (" + jdk.home() + ")");
    }
}
