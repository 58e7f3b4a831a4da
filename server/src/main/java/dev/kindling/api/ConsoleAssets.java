package dev.kindling.api;

import dev.kindling.triggers.HttpAnswer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/**
 * The web console's static files (docs/console.md) at {@code /console/}: built from the repository's console/
 * folder into the jar's {@code console/} resources. Unsigned, as a browser's page loads are: the files hold no
 * data; everything the console shows comes from the AWS APIs, signed in the browser with the key the user types.
 */
public final class ConsoleAssets implements DirectRoutes {
    /** The path the console is served at, as printed in the start banner. */
    public static final String PATH = "/console/";
    /** File names the console is built into: one level, no dots leading (so no "..", no hidden files). */
    private static final Pattern FILE = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "txt", "text/plain; charset=utf-8",
            "svg", "image/svg+xml", "png", "image/png", "ico", "image/x-icon");
    /**
     * Scripts only from this origin (no inline scripts, no eval), no framing by other sites. Inline styles are
     * allowed: the code editor and the charts set element styles from script.
     */
    private static final String SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' "
            + "'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
            + "form-action 'self'";

    private final ClassLoader resources;
    private final Map<String, Optional<byte[]>> files = new ConcurrentHashMap<>();
    /** Each file gzipped once, on first request: the script is 1.2 MB as built, about 380 kB gzipped. */
    private final Map<String, byte[]> gzipped = new ConcurrentHashMap<>();

    /** @param resources where the built console lives, under {@code console/} */
    public ConsoleAssets(ClassLoader resources) {
        this.resources = resources;
    }

    /** Whether this build carries the console (a build without Node.js would not). */
    public boolean available() {
        return file("index.html").isPresent();
    }

    @Override
    public boolean claims(ApiRequest request) {
        String path = request.rawPath();
        return (path.equals("/console") || path.startsWith(PATH))
                && (request.method().equals("GET") || request.method().equals("HEAD"))
                && request.header("Authorization").isEmpty();
    }

    @Override
    public int maxBodyBytes() {
        return 0;
    }

    @Override
    public HttpAnswer serve(ApiRequest request, String sourceIp, String protocol) {
        String path = request.rawPath();
        if (path.equals("/console")) { // relative asset paths need the trailing slash
            return new HttpAnswer(302, List.of(Map.entry("Location", PATH)), new byte[0]);
        }
        String name = path.substring(PATH.length());
        if (name.isEmpty()) {
            name = "index.html";
        }
        Optional<byte[]> body = FILE.matcher(name).matches() ? file(name) : Optional.empty();
        if (body.isEmpty()) {
            return HttpAnswer.text(404, "text/plain; charset=utf-8", available()
                    ? "Not found: " + path + "\n" : "This Kindling build has no console (built without Node.js).\n");
        }
        String extension = name.substring(name.lastIndexOf('.') + 1);
        boolean gzip = acceptsGzip(request);
        List<Map.Entry<String, String>> headers = new ArrayList<>(List.of(
                Map.entry("Content-Type", TYPES.getOrDefault(extension, "application/octet-stream")),
                Map.entry("Cache-Control", "no-cache"), // revalidated each load: a new build is seen at once
                Map.entry("Content-Security-Policy", SECURITY_POLICY),
                Map.entry("X-Content-Type-Options", "nosniff"),
                Map.entry("Referrer-Policy", "no-referrer"),
                Map.entry("Vary", "Accept-Encoding")));
        if (gzip) {
            headers.add(Map.entry("Content-Encoding", "gzip"));
        }
        byte[] content = gzip ? gzipped.computeIfAbsent(name, n -> gzip(body.get())) : body.get();
        return new HttpAnswer(200, headers, request.method().equals("HEAD") ? new byte[0] : content);
    }

    /** Whether the client takes gzip (browsers all do); "gzip;q=0" says it does not. */
    private static boolean acceptsGzip(ApiRequest request) {
        return request.header("Accept-Encoding")
                .map(accepted -> Arrays.stream(accepted.split(","))
                        .map(coding -> coding.trim().toLowerCase(Locale.ROOT))
                        .anyMatch(coding -> coding.equals("gzip") || coding.startsWith("gzip;") && !coding.matches("gzip;\\s*q=0(\\.0*)?")))
                .orElse(false);
    }

    private static byte[] gzip(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length / 3);
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: cannot happen
        }
        return out.toByteArray();
    }

    private Optional<byte[]> file(String name) {
        return files.computeIfAbsent(name, n -> {
            try (InputStream in = resources.getResourceAsStream("console/" + n)) {
                return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
            } catch (IOException e) {
                return Optional.empty();
            }
        });
    }
}
