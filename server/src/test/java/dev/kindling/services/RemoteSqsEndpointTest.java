package dev.kindling.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The --sqs-endpoints file: what it may say, and the errors that name what is wrong in it. */
class RemoteSqsEndpointTest {
    @TempDir
    Path dir;

    private List<RemoteSqsEndpoint> read(String json) throws Exception {
        Path file = dir.resolve("sqs-endpoints.json");
        Files.writeString(file, json);
        return RemoteSqsEndpoint.read(file);
    }

    @Test
    void endpointsWithKeysAProfileOrTheDefaultChain() throws Exception {
        List<RemoteSqsEndpoint> endpoints = read("""
                [{"account": "123456789012", "region": "eu-west-1", "url": "https://sqs.eu-west-1.amazonaws.com",
                  "accessKeyId": "AKIAEXAMPLE", "secretAccessKey": "secret", "sessionToken": "token"},
                 {"account": "111111111111", "region": "us-east-1", "url": "http://queues.internal:9324",
                  "profile": "queues"},
                 {"account": "222222222222", "region": "us-east-2", "url": "http://127.0.0.1:9324"}]
                """);
        assertThat(endpoints).hasSize(3);
        assertThat(endpoints.get(0).key()).isEqualTo("123456789012:eu-west-1");
        assertThat(endpoints.get(0).url()).isEqualTo(URI.create("https://sqs.eu-west-1.amazonaws.com"));
        assertThat(endpoints.get(0).credentials()).isEqualTo(new RemoteSqsEndpoint.Keys("AKIAEXAMPLE", "secret",
                Optional.of("token")));
        assertThat(endpoints.get(0).credentials().toString()).doesNotContain("secret");
        assertThat(endpoints.get(1).credentials()).isEqualTo(new RemoteSqsEndpoint.Profile("queues"));
        assertThat(endpoints.get(2).credentials()).isEqualTo(new RemoteSqsEndpoint.DefaultChain());
    }

    @Test
    void mistakesAreNamedWithTheirEntry() {
        assertThatThrownBy(() -> read("{\"account\": \"123456789012\"}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must hold a JSON array");
        assertThatThrownBy(() -> read("[{\"account\": \"12\", \"region\": \"eu-west-1\", \"url\": \"http://h\"}]"))
                .hasMessageContaining("entry 1: account must be 12 digits");
        assertThatThrownBy(() -> read("[{\"account\": \"123456789012\", \"url\": \"http://h\"}]"))
                .hasMessageContaining("entry 1: region is missing");
        assertThatThrownBy(() -> read("[{\"account\": \"123456789012\", \"region\": \"eu-west-1\","
                + " \"url\": \"ftp://h\"}]")).hasMessageContaining("must be an http:// or https:// URL");
        assertThatThrownBy(() -> read("[{\"account\": \"123456789012\", \"region\": \"eu-west-1\","
                + " \"url\": \"http://h\", \"accessKeyId\": \"AKIA\"}]"))
                .hasMessageContaining("give both accessKeyId and secretAccessKey");
        String one = "{\"account\": \"123456789012\", \"region\": \"eu-west-1\", \"url\": \"http://h\"}";
        assertThatThrownBy(() -> read("[" + one + ", " + one + "]"))
                .hasMessageContaining("entry 2: account 123456789012 in region eu-west-1 is listed twice");
        assertThatThrownBy(() -> read("[not json")).hasMessageContaining("cannot be read as JSON");
    }
}
