package dev.kindling.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Another SQS endpoint (Amazon SQS itself, or any SQS-compatible service) that serves the queues of one account in
 * one region: a queue ARN {@code arn:aws:sqs:<region>:<account>:<name>} naming them is reached there, with these
 * credentials, by event source mappings, destinations and dead-letter targets alike. Read from the file given to
 * {@code kindling server --sqs-endpoints}:
 *
 * <pre>
 * [{"account": "123456789012", "region": "eu-west-1", "url": "https://sqs.eu-west-1.amazonaws.com",
 *   "accessKeyId": "AKIA...", "secretAccessKey": "...", "sessionToken": "(optional)"},
 *  {"account": "111111111111", "region": "us-east-1", "url": "http://queues.internal:9324", "profile": "queues"}]
 * </pre>
 *
 * Without keys or a profile, the AWS SDK's default credentials chain applies (environment, ~/.aws, instance role).
 */
public record RemoteSqsEndpoint(String accountId, String region, URI url, Credentials credentials) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How Kindling signs its requests to the endpoint. */
    public sealed interface Credentials {
        AwsCredentialsProvider provider();
    }

    /** An access key, its secret, and a session token for temporary credentials. */
    public record Keys(String accessKeyId, String secretAccessKey, Optional<String> sessionToken)
            implements Credentials {
        @Override
        public AwsCredentialsProvider provider() {
            return StaticCredentialsProvider.create(sessionToken
                    .<software.amazon.awssdk.auth.credentials.AwsCredentials>map(
                            token -> AwsSessionCredentials.create(accessKeyId, secretAccessKey, token))
                    .orElseGet(() -> AwsBasicCredentials.create(accessKeyId, secretAccessKey)));
        }

        @Override
        public String toString() { // never the secret, in a log or an error
            return "Keys[" + accessKeyId + "]";
        }
    }

    /** A profile of the AWS shared configuration files (~/.aws/credentials, ~/.aws/config). */
    public record Profile(String name) implements Credentials {
        @Override
        public AwsCredentialsProvider provider() {
            return ProfileCredentialsProvider.create(name);
        }
    }

    /** The AWS SDK's default chain, as the AWS CLI finds credentials. */
    public record DefaultChain() implements Credentials {
        @Override
        public AwsCredentialsProvider provider() {
            return DefaultCredentialsProvider.builder().build();
        }
    }

    /** Where the queues of {@code account} in {@code region} live: the key this endpoint is found by. */
    public String key() {
        return key(accountId, region);
    }

    public static String key(String accountId, String region) {
        return accountId + ":" + region;
    }

    /**
     * The endpoints a {@code --sqs-endpoints} file lists.
     *
     * @throws IllegalArgumentException naming the file, the entry and what is wrong with it
     */
    public static List<RemoteSqsEndpoint> read(Path file) {
        JsonNode entries;
        try {
            entries = JSON.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("--sqs-endpoints " + file + ": cannot be read as JSON: " + e.getMessage());
        }
        if (entries == null || !entries.isArray()) {
            throw new IllegalArgumentException("--sqs-endpoints " + file + ": must hold a JSON array of endpoints,"
                    + " each {\"account\", \"region\", \"url\"} and credentials");
        }
        List<RemoteSqsEndpoint> endpoints = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            String where = "--sqs-endpoints " + file + ", entry " + (i + 1) + ": ";
            RemoteSqsEndpoint endpoint = parse(entries.get(i), where);
            if (!keys.add(endpoint.key())) {
                throw new IllegalArgumentException(where + "account " + endpoint.accountId() + " in region "
                        + endpoint.region() + " is listed twice");
            }
            endpoints.add(endpoint);
        }
        return List.copyOf(endpoints);
    }

    private static RemoteSqsEndpoint parse(JsonNode entry, String where) {
        String account = required(entry, "account", where);
        if (!account.matches("\\d{12}")) {
            throw new IllegalArgumentException(where + "account must be 12 digits, not " + account);
        }
        String region = required(entry, "region", where);
        URI url;
        try {
            url = URI.create(required(entry, "url", where));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + "url is not a URL: " + e.getMessage());
        }
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null) {
            throw new IllegalArgumentException(where + "url must be an http:// or https:// URL, not " + url);
        }
        Optional<String> key = optional(entry, "accessKeyId");
        Optional<String> secret = optional(entry, "secretAccessKey");
        Optional<String> profile = optional(entry, "profile");
        if (key.isPresent() != secret.isPresent()) {
            throw new IllegalArgumentException(where + "give both accessKeyId and secretAccessKey, or neither");
        }
        if (key.isPresent() && profile.isPresent()) {
            throw new IllegalArgumentException(where + "give either keys or a profile, not both");
        }
        Credentials credentials = key.isPresent()
                ? new Keys(key.get(), secret.get(), optional(entry, "sessionToken"))
                : profile.<Credentials>map(Profile::new).orElseGet(DefaultChain::new);
        return new RemoteSqsEndpoint(account, region, url, credentials);
    }

    private static String required(JsonNode entry, String member, String where) {
        return optional(entry, member).orElseThrow(() -> new IllegalArgumentException(where + member
                + " is missing"));
    }

    private static Optional<String> optional(JsonNode entry, String member) {
        JsonNode value = entry.path(member);
        return value.isTextual() && !value.asText().isBlank() ? Optional.of(value.asText()) : Optional.empty();
    }
}
