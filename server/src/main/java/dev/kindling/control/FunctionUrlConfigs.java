package dev.kindling.control;

import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import dev.kindling.store.CorsSettings;
import dev.kindling.store.FunctionUrlConfigRecord;
import dev.kindling.store.FunctionUrlConfigRepository;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Function URL configurations (Create/Get/Update/Delete/ListFunctionUrlConfig(s)): one per function or alias, each
 * with a URL id of 32 lowercase letters and digits, as AWS's, that names it in the host
 * {@code <url-id>.lambda-url.<region>.localhost}. Looked up by id on every URL request, so lookups are cached.
 */
public final class FunctionUrlConfigs {
    static final String QUALIFIER_PATTERN = "((?!^\\d+$)^[0-9a-zA-Z-_]+$)";
    private static final Pattern QUALIFIER = Pattern.compile("(?!\\d+$)[0-9a-zA-Z-_]+");
    private static final List<String> AUTH_TYPES = List.of("NONE", "AWS_IAM");
    private static final List<String> INVOKE_MODES = List.of("RESPONSE_STREAM", "BUFFERED");
    private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final int MAX_PAGE = 50;

    private final FunctionUrlConfigRepository repository;
    private final FunctionService functions;
    private final String urlSuffix;
    private final SecureRandom random = new SecureRandom();
    /** By URL id; a miss is cached too (a scanner probing ids must not reach the database each time). */
    private final Map<String, Optional<FunctionUrlConfigRecord>> byUrlId = new ConcurrentHashMap<>();

    /** @param port the API's port, which every function URL carries */
    public FunctionUrlConfigs(FunctionUrlConfigRepository repository, FunctionService functions, int port) {
        this.repository = repository;
        this.functions = functions;
        this.urlSuffix = ".lambda-url." + functions.region() + ".localhost:" + port + "/";
        functions.addListener(new FunctionChangeListener() {
            @Override
            public void versionRetired(String functionName, String version) {
                // URLs belong to functions and aliases, never to a version: nothing to forget
            }

            @Override
            public void functionDeleted(String functionName) {
                byUrlId.values().removeIf(c -> c.map(r -> r.functionName().equals(functionName)).orElse(true));
            }
        });
    }

    /** What a Create or Update request sent; an empty member was not sent. */
    public record Settings(Optional<String> authType, Optional<CorsSettings> cors, Optional<String> invokeMode) {}

    /** The FunctionName and Qualifier of a URL config operation: a function or an alias, never a version. */
    public FunctionRef parseRef(String functionName, String qualifier) {
        requireQualifier(qualifier);
        FunctionRef ref = functions.parseRef(functionName, qualifier);
        requireQualifier(ref.qualifier());
        return ref;
    }

    public FunctionUrlConfigRecord create(FunctionRef ref, Settings s) {
        if (s.authType().isEmpty()) {
            throw ConstraintViolations.missingMember("authType");
        }
        validate(s);
        return functions.underChangeLock(() -> {
            if (!exists(ref)) {
                throw new LambdaException(ErrorType.ResourceNotFoundException, "Function does not exist");
            }
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            FunctionUrlConfigRecord config = new FunctionUrlConfigRecord(ref.name(), ref.qualifier(), newUrlId(),
                    s.authType().get(), s.cors(), s.invokeMode(), now, now);
            if (!repository.insert(config)) {
                throw new LambdaException(ErrorType.ResourceConflictException, "Failed to create function url config"
                        + " for [functionArn = " + functions.arn(ref.qualifiedName()) + "]. Error message: "
                        + " FunctionUrlConfig exists for this Lambda function");
            }
            byUrlId.put(config.urlId(), Optional.of(config));
            return config;
        });
    }

    public FunctionUrlConfigRecord get(FunctionRef ref) {
        if (!exists(ref)) {
            throw notFound();
        }
        return repository.find(ref.name(), ref.qualifier()).orElseThrow(FunctionUrlConfigs::notFound);
    }

    /** UpdateFunctionUrlConfig: changes the members sent (a Cors sent replaces the whole Cors). */
    public FunctionUrlConfigRecord update(FunctionRef ref, Settings s) {
        validate(s);
        return functions.underChangeLock(() -> {
            FunctionUrlConfigRecord current = get(ref);
            FunctionUrlConfigRecord updated = new FunctionUrlConfigRecord(current.functionName(), current.qualifier(),
                    current.urlId(), s.authType().orElse(current.authType()), s.cors().or(current::cors),
                    s.invokeMode().or(current::invokeMode), current.created(),
                    Instant.now().truncatedTo(ChronoUnit.MICROS));
            repository.update(updated);
            byUrlId.put(updated.urlId(), Optional.of(updated));
            return updated;
        });
    }

    public void delete(FunctionRef ref) {
        functions.underChangeLock(() -> {
            FunctionUrlConfigRecord current = get(ref);
            repository.delete(ref.name(), ref.qualifier());
            byUrlId.put(current.urlId(), Optional.empty());
            return null;
        });
    }

    /** A page of the function's URL configs and the marker of the next page, if any. */
    public record Page(List<FunctionUrlConfigRecord> configs, Optional<String> nextMarker) {}

    public Page list(String functionName, Optional<String> marker, Optional<Integer> maxItems) {
        int limit = maxItems.orElse(MAX_PAGE);
        if (limit < 1 || limit > MAX_PAGE) {
            throw ConstraintViolations.single(String.valueOf(limit), "maxItems", limit < 1
                    ? "Member must have value greater than or equal to 1"
                    : "Member must have value less than or equal to " + MAX_PAGE);
        }
        FunctionRef ref = functions.parseRef(functionName, "");
        if (!exists(ref.withQualifier(""))) {
            throw new LambdaException(ErrorType.ResourceNotFoundException, "Function does not exist");
        }
        String after = PageMarkers.decode(marker.orElse(""), "ListFunctionUrlConfigs");
        List<FunctionUrlConfigRecord> rest = repository.list(ref.name()).stream()
                .filter(c -> after.isEmpty() || c.qualifier().compareTo(after.substring(1)) > 0).toList();
        List<FunctionUrlConfigRecord> page = rest.subList(0, Math.min(limit, rest.size()));
        Optional<String> next = rest.size() > limit ? Optional.of(PageMarkers.encode(":" + page.getLast().qualifier()))
                : Optional.empty();
        return new Page(List.copyOf(page), next);
    }

    /** The configuration a URL request's id names, if there is one. */
    public Optional<FunctionUrlConfigRecord> byUrlId(String urlId) {
        return byUrlId.computeIfAbsent(urlId, repository::findByUrlId);
    }

    /** The FunctionUrl AWS shows: {@code http://<url-id>.lambda-url.<region>.localhost:<port>/}. */
    public String url(FunctionUrlConfigRecord config) {
        return "http://" + config.urlId() + urlSuffix;
    }

    /** The FunctionArn AWS shows: the function's, with the alias when the URL is an alias's. */
    public String functionArn(FunctionUrlConfigRecord config) {
        return functions.arn(config.qualifier().isEmpty() ? config.functionName()
                : config.functionName() + ":" + config.qualifier());
    }

    /** What the URL invokes: the function, or its alias. */
    public static FunctionRef target(FunctionUrlConfigRecord config) {
        return new FunctionRef(config.functionName(), config.qualifier());
    }

    private boolean exists(FunctionRef ref) {
        if (!ref.canExist()) {
            return false;
        }
        if (ref.isQualified()) {
            return functions.aliases().find(ref.name(), ref.qualifier()).isPresent();
        }
        return functions.version(ref.name(), FunctionRef.LATEST).isPresent();
    }

    private String newUrlId() {
        StringBuilder id = new StringBuilder(32);
        for (int i = 0; i < 32; i++) {
            id.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
        }
        return id.toString();
    }

    private static void requireQualifier(String qualifier) {
        if (!qualifier.isEmpty() && (qualifier.length() > 128 || !QUALIFIER.matcher(qualifier).matches())) {
            throw ConstraintViolations.single(qualifier, "qualifier", "Member must satisfy regular expression"
                    + " pattern: " + QUALIFIER_PATTERN);
        }
    }

    private static void validate(Settings s) {
        ConstraintViolations violations = new ConstraintViolations();
        s.authType().filter(t -> !AUTH_TYPES.contains(t)).ifPresent(t ->
                violations.add(t, "authType", ConstraintViolations.enumConstraint(AUTH_TYPES)));
        s.invokeMode().filter(m -> !INVOKE_MODES.contains(m)).ifPresent(m ->
                violations.add(m, "invokeMode", ConstraintViolations.enumConstraint(INVOKE_MODES)));
        s.cors().ifPresent(cors -> CorsValidation.check(cors, violations));
        violations.throwIfAny();
        s.cors().ifPresent(CorsValidation::checkValues);
    }

    private static LambdaException notFound() {
        return new LambdaException(ErrorType.ResourceNotFoundException, "The resource you requested does not exist.");
    }
}
