package dev.kindling.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The AWS managed policies Kindling knows (those Lambda tutorials attach), with the documents AWS publishes for them,
 * read from the resource {@code iam/aws-managed-policies.json}. They belong to the pseudo-account {@code aws}: their
 * ARNs are {@code arn:aws:iam::aws:policy<path><name>}, and nobody can change or delete them.
 */
public final class AwsManagedPolicies {
    /** When AWS's Lambda managed policies first appeared; AWS reports per-policy dates Kindling does not track. */
    static final Instant PUBLISHED = Instant.parse("2015-04-09T15:03:43Z");

    private final Map<String, ManagedPolicy> byArn = new LinkedHashMap<>();

    public AwsManagedPolicies() {
        try (InputStream in = AwsManagedPolicies.class.getResourceAsStream("/iam/aws-managed-policies.json")) {
            if (in == null) {
                throw new IllegalStateException("missing resource iam/aws-managed-policies.json");
            }
            ObjectMapper json = new ObjectMapper();
            for (JsonNode p : json.readTree(in).get("policies")) {
                String name = p.get("name").asText();
                String path = p.get("path").asText();
                String document = json.writeValueAsString(p.get("document"));
                PolicyDocument.parse(document, PolicyDocument.Kind.PERMISSIONS); // a broken resource fails the start
                String arn = "arn:aws:iam::aws:policy" + path + name;
                byArn.put(arn, new ManagedPolicy(arn, name, policyId(arn), path,
                        Optional.of(p.get("description").asText()), document, PUBLISHED, true, Map.of()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Optional<ManagedPolicy> find(String arn) {
        return Optional.ofNullable(byArn.get(arn));
    }

    public List<ManagedPolicy> all() {
        return new ArrayList<>(byArn.values());
    }

    /** A stable id of AWS's form (ANPA and 17 characters), derived from the ARN. */
    private static String policyId(String arn) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(arn.getBytes(StandardCharsets.UTF_8));
            StringBuilder id = new StringBuilder("ANPA");
            String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
            for (int i = 0; i < 17; i++) {
                id.append(alphabet.charAt((digest[i] & 0xff) % alphabet.length()));
            }
            return id.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
