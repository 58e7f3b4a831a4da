package dev.kindling.control;

import java.util.List;
import java.util.Set;

/** The runtime identifiers of the Lambda API, and the ones Kindling runs. */
public final class Runtimes {
    private Runtimes() {}

    /** Runtimes Kindling can run. */
    public static final Set<String> SUPPORTED = Set.of(
            "python3.9", "python3.10", "python3.11", "python3.12", "python3.13",
            "nodejs18.x", "nodejs20.x", "nodejs22.x",
            "java11", "java17", "java21", "java25",
            "provided", "provided.al2", "provided.al2023");

    /**
     * The runtimes AWS creates functions with, in the order AWS lists them in its error message for any other value
     * (recorded from AWS, 2025). Other runtimes of {@link #API_ENUM} are refused with that message too, except the
     * {@link #DEPRECATED} ones.
     */
    public static final List<String> CREATABLE_ON_AWS = List.of("nodejs20.x", "python3.14", "provided.al2023",
            "python3.12", "python3.13", "nodejs24.x", "nodejs22.x", "java25", "python3.10", "python3.11", "java21",
            "ruby3.3", "ruby3.4", "ruby3.2", "python3.8", "python3.9", "java17", "nodejs16.x", "dotnet10", "dotnet8",
            "java11", "dotnet6", "nodejs18.x", "provided.al2", "java8.al2");

    /**
     * Runtimes whose deprecation AWS names in its own message ("no longer supported for creating or updating"),
     * recorded from AWS in January 2026 (test_create_deprecated_function_runtime_with_validation_enabled).
     */
    public static final Set<String> DEPRECATED = Set.of("java8", "go1.x", "provided", "ruby2.7", "nodejs14.x",
            "python3.7", "dotnetcore3.1", "nodejs12.x");

    /** Every value of the API's Runtime enum (botocore's lambda service model). */
    public static final List<String> API_ENUM = List.of("nodejs", "nodejs4.3", "nodejs6.10", "nodejs8.10",
            "nodejs10.x", "nodejs12.x", "nodejs14.x", "nodejs16.x", "java8", "java8.al2", "java11", "python2.7",
            "python3.6", "python3.7", "python3.8", "python3.9", "dotnetcore1.0", "dotnetcore2.0", "dotnetcore2.1",
            "dotnetcore3.1", "dotnet6", "dotnet8", "nodejs4.3-edge", "go1.x", "ruby2.5", "ruby2.7", "provided",
            "provided.al2", "nodejs18.x", "python3.10", "java17", "ruby3.2", "ruby3.3", "ruby3.4", "python3.11",
            "nodejs20.x", "provided.al2023", "python3.12", "java21", "python3.13", "nodejs22.x", "nodejs24.x",
            "python3.14", "java25", "dotnet10", "ruby4.0");
}
