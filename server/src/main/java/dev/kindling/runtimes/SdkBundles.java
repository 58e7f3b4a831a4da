package dev.kindling.runtimes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The AWS SDKs that AWS's runtimes bundle, which Kindling installs itself on first use: boto3 (with botocore recent
 * enough to honour AWS_ENDPOINT_URL) for Python, from Debian trixie's pure-Python packages; the AWS SDK for
 * JavaScript v3 for Node.js, from the npm registry. Each is downloaded once into a cache shared by every data
 * directory ({@code ~/.cache/kindling/sdk}, or $XDG_CACHE_HOME), then linked into the runtime's directory of the data
 * directory, which environments see read-only (/var/runtime/sdk for Python, /var/runtime/node_modules for Node.js). A download that fails is said in the server's log
 * and in the function's log, with what is missing; the function then runs without the SDK.
 */
public final class SdkBundles {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SdkBundles.class);
    private static final String COMPLETE = ".complete";
    /** boto3 and what Debian's botocore imports (it uses requests instead of a vendored copy). */
    static final List<String> PYTHON_PACKAGES = List.of("python3-boto3", "python3-botocore", "python3-s3transfer",
            "python3-jmespath", "python3-dateutil", "python3-urllib3", "python3-six", "python3-requests",
            "python3-idna", "python3-certifi", "python3-chardet");
    /** The clients of the services Kindling serves, as AWS's nodejs runtimes bundle them (they bundle all). */
    static final List<String> NODE_PACKAGES = List.of("@aws-sdk/client-s3", "@aws-sdk/client-sqs",
            "@aws-sdk/client-lambda", "@aws-sdk/client-cloudwatch-logs", "@aws-sdk/client-sts", "@aws-sdk/client-iam",
            "@aws-sdk/client-dynamodb", "@aws-sdk/lib-dynamodb");
    private static final String DEBIAN = "deb http://deb.debian.org/debian trixie main";

    private final Path runtimeDir;
    private final Path cache;
    private final Map<String, Optional<Path>> ready = new ConcurrentHashMap<>();
    private final Map<String, String> problems = new ConcurrentHashMap<>();

    /**
     * @param runtimeDir the runtimes' directory in the data directory ({@link RuntimeCatalog}'s)
     * @param cache where downloads are kept for every data directory
     */
    public SdkBundles(Path runtimeDir, Path cache) {
        this.runtimeDir = runtimeDir;
        this.cache = cache;
    }

    /** The cache of the user running Kindling: $XDG_CACHE_HOME/kindling/sdk, or ~/.cache/kindling/sdk. */
    public static Path defaultCache() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("kindling").resolve("sdk");
    }

    /**
     * The SDK of a runtime family ({@code python}, {@code nodejs}) on the host, inside the runtime's directory,
     * installed first if need be (the first use may download for a minute; later uses find it at once). Empty if it
     * cannot be installed: {@link #problem} says why.
     */
    public Optional<Path> ensure(String family) {
        if (!family.equals("python") && !family.equals("nodejs")) {
            return Optional.empty();
        }
        return ready.computeIfAbsent(family, this::install);
    }

    /** Why the family's SDK is missing, for the function's log; empty when it is installed or never asked for. */
    public Optional<String> problem(String family) {
        return Optional.ofNullable(problems.get(family));
    }

    /** What is installed, for the server's banner and doctor. */
    public String describe() {
        List<String> lines = new ArrayList<>();
        for (String family : List.of("python", "nodejs")) {
            Path cached = cache.resolve(family);
            lines.add(family + ": " + (Files.exists(cached.resolve(COMPLETE)) ? read(cached.resolve(COMPLETE))
                    : "not downloaded yet (at the first " + family + " function)"));
        }
        return String.join("; ", lines);
    }

    /**
     * Starts downloading, in the background, the SDKs the cache lacks, so the first function of each runtime finds
     * them sooner; returns at once.
     */
    public void prefetch() {
        for (String family : List.of("python", "nodejs")) {
            if (!Files.exists(cache.resolve(family).resolve(COMPLETE))) {
                Thread.ofVirtual().name("sdk-" + family).start(() -> {
                    try {
                        cached(family);
                    } catch (IOException | RuntimeException e) {
                        LOG.debug("prefetch of the {} SDK failed: {}", family, e.toString()); // ensure() says it
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
        }
    }

    /**
     * The family's SDK in the cache, downloaded first if need be: one download at a time in this process, and
     * across processes sharing the cache (a file lock).
     */
    private static Path cachedIn(Path cache, String family) throws IOException, InterruptedException {
        Path cached = cache.resolve(family);
        synchronized (SdkBundles.class) {
            Files.createDirectories(cache);
            try (java.nio.channels.FileChannel lock = java.nio.channels.FileChannel.open(cache.resolve(family + ".lock"),
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
                    var held = lock.lock()) {
                if (!Files.exists(cached.resolve(COMPLETE))) {
                    LOG.info("Downloading the AWS SDK for {} functions into {} (once; this may take a minute)",
                            family, cached);
                    download(family, cached);
                }
            }
        }
        return cached;
    }

    private Path cached(String family) throws IOException, InterruptedException {
        return cachedIn(cache, family);
    }

    /**
     * Python's goes to {@code <runtime dir>/sdk} (the bootstrap puts it on sys.path), Node.js's to
     * {@code <runtime dir>/node_modules}, where AWS's nodejs runtimes keep the SDK (/var/runtime/node_modules).
     */
    private Optional<Path> install(String family) {
        Path target = runtimeDir.resolve(family).resolve(family.equals("nodejs") ? "node_modules" : "sdk");
        try {
            if (!Files.exists(target.resolve(COMPLETE))) {
                Path cached = cached(family);
                linkTree(family.equals("nodejs") ? cached.resolve("node_modules") : cached, target);
                Files.copy(cached.resolve(COMPLETE), target.resolve(COMPLETE), StandardCopyOption.REPLACE_EXISTING);
            }
            LOG.info("AWS SDK for {} functions: {}", family, read(target.resolve(COMPLETE)));
            return Optional.of(target);
        } catch (IOException | RuntimeException e) {
            String why = "Kindling could not install the AWS SDK for " + family + " (" + e.getMessage() + "): "
                    + (family.equals("python") ? "it needs apt-get, dpkg and http://deb.debian.org (packages "
                            + String.join(" ", PYTHON_PACKAGES) + " of Debian trixie)"
                            : "it needs npm and the npm registry (packages " + String.join(" ", NODE_PACKAGES) + ")")
                    + "; functions run without it until the server restarts.";
            LOG.warn(why);
            problems.put(family, why);
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static void download(String family, Path cached) throws IOException, InterruptedException {
        Files.createDirectories(cached.getParent());
        Path work = Files.createTempDirectory(cached.getParent(), family + ".");
        try {
            String versions = family.equals("python") ? downloadPython(work) : downloadNode(work);
            Path tree = work.resolve("tree");
            Files.writeString(tree.resolve(COMPLETE), versions, StandardCharsets.UTF_8);
            deleteTree(cached);
            Files.move(tree, cached, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            deleteTree(work);
        }
    }

    /** apt-get with lists of its own (the machine's are untouched), then dpkg -x: nothing is installed system-wide. */
    private static String downloadPython(Path work) throws IOException, InterruptedException {
        Path sources = work.resolve("sources.list");
        Files.writeString(sources, DEBIAN + "\n");
        for (String dir : List.of("lists/partial", "cache/archives/partial", "debs")) {
            Files.createDirectories(work.resolve(dir));
        }
        List<String> apt = List.of("apt-get", "-q", "-o", "Dir::Etc::sourcelist=" + sources, "-o",
                "Dir::Etc::sourceparts=-", "-o", "Dir::State::Lists=" + work.resolve("lists"), "-o",
                "Dir::Cache=" + work.resolve("cache"), "-o", "APT::Get::List-Cleanup=0", "-o",
                "APT::Sandbox::User=root");
        run(concat(apt, List.of("update")), work);
        run(concat(apt, concat(List.of("download"), PYTHON_PACKAGES)), work.resolve("debs"));
        Path root = work.resolve("root");
        List<String> versions = new ArrayList<>();
        try (Stream<Path> debs = Files.list(work.resolve("debs"))) {
            for (Path deb : debs.sorted().toList()) {
                run(List.of("dpkg", "-x", deb.toString(), root.toString()), work);
                versions.add(deb.getFileName().toString().replaceAll("_all\\.deb$", ""));
            }
        }
        Files.move(root.resolve("usr/lib/python3/dist-packages"), work.resolve("tree"));
        compile(work.resolve("tree"));
        return "Debian trixie " + String.join(" ", versions);
    }

    /**
     * Environments see the SDK read-only and could not write its bytecode: compiled here once for each interpreter,
     * or every cold start would compile boto3 again (about 2 s).
     */
    private static void compile(Path tree) throws InterruptedException {
        for (String python : RuntimeCatalog.installedPythons()) {
            try {
                run(List.of(python, "-m", "compileall", "-q", tree.toString()), tree);
            } catch (IOException e) {
                LOG.warn("could not compile the Python SDK with {}: {}", python, e.getMessage());
            }
        }
    }

    private static String downloadNode(Path work) throws IOException, InterruptedException {
        Path tree = work.resolve("tree");
        Files.createDirectories(tree);
        run(concat(List.of("npm", "install", "--prefix", tree.toString(), "--no-audit", "--no-fund",
                "--loglevel=error", "--omit=dev"), NODE_PACKAGES), work);
        return "npm " + String.join(" ", NODE_PACKAGES.stream().map(p -> p + "@" + npmVersion(tree, p)).toList());
    }

    private static String npmVersion(Path tree, String pkg) {
        try {
            String json = Files.readString(tree.resolve("node_modules").resolve(pkg).resolve("package.json"));
            var m = java.util.regex.Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
            return m.find() ? m.group(1) : "?";
        } catch (IOException e) {
            return "?";
        }
    }

    private static void run(List<String> command, Path dir) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IOException(command.get(0) + " did not finish within 10 minutes");
        }
        if (process.exitValue() != 0) {
            String text = new String(output, StandardCharsets.UTF_8).strip();
            throw new IOException(String.join(" ", command.subList(0, Math.min(3, command.size()))) + " failed ("
                    + process.exitValue() + "): " + text.substring(Math.max(0, text.length() - 400)));
        }
    }

    /** Hard links of every file (copies where the cache is on another file system), readable by every user. */
    private static void linkTree(Path from, Path to) throws IOException {
        Path temp = to.resolveSibling(to.getFileName() + ".tmp");
        deleteTree(temp);
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path copy = temp.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(copy);
                    Files.setPosixFilePermissions(copy, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
                } else {
                    try {
                        Files.createLink(copy, source);
                    } catch (IOException | UnsupportedOperationException e) {
                        Files.copy(source, copy, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
        }
        deleteTree(to);
        Files.move(temp, to, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
