package dev.kindling.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.LambdaException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The parts of a signed request read by hand on every request: the signing time, the Host, the scope's service. */
class SignedRequestPartsTest {
    @Test
    void amzDatesAreReadExactlyAndMalformedOnesRefused() {
        assertThat(SigV4Verifier.parseAmzDate("20261206T061502Z")).contains(Instant.parse("2026-12-06T06:15:02Z"));
        assertThat(SigV4Verifier.parseAmzDate("20240229T235959Z")).contains(Instant.parse("2024-02-29T23:59:59Z"));
        for (String bad : new String[] {"", "20261206T061502", "2026-12-06T06:15:02Z", "20261306T061502Z",
                "20230229T000000Z", "20261206T256000Z", "2026120xT061502Z", "20261206 061502Z", "+2026120T061502Z"}) {
            assertThat(SigV4Verifier.parseAmzDate(bad)).as(bad).isEmpty();
        }
    }

    @Test
    void hostHeadersGiveNameAndPort() {
        assertThat(SigV4Verifier.HostHeader.parse("127.0.0.1:9000")).isEqualTo(new SigV4Verifier.HostHeader("127.0.0.1", 9000));
        assertThat(SigV4Verifier.HostHeader.parse("localhost")).isEqualTo(new SigV4Verifier.HostHeader("localhost", 80));
        assertThat(SigV4Verifier.HostHeader.parse("[::1]:9000")).isEqualTo(new SigV4Verifier.HostHeader("[::1]", 9000));
        assertThat(SigV4Verifier.HostHeader.parse("[::1]")).isEqualTo(new SigV4Verifier.HostHeader("[::1]", 80));
        assertThatThrownBy(() -> SigV4Verifier.HostHeader.parse("host:port")).isInstanceOf(LambdaException.class);
    }

    @Test
    void theScopesServiceIsReadFromWellFormedCredentialsOnly() {
        String header = "AWS4-HMAC-SHA256 Credential=test/20261206/us-east-1/logs/aws4_request, "
                + "SignedHeaders=host;x-amz-date, Signature=" + "0".repeat(64);
        assertThat(ServiceDirectory.scopeService(header)).contains("logs");
        assertThat(ServiceDirectory.scopeService(header.replace(", ", ","))).contains("logs");
        assertThat(ServiceDirectory.scopeService("AWS4-HMAC-SHA256 Credential=k/2026120/r/s/aws4_request")).isEmpty();
        assertThat(ServiceDirectory.scopeService("AWS4-HMAC-SHA256 Credential=k/20261206/r/s/aws5_request")).isEmpty();
        assertThat(ServiceDirectory.scopeService("AWS4-HMAC-SHA256 Credential=k/20261206/r//aws4_request")).isEmpty();
        assertThat(ServiceDirectory.scopeService("Bearer abc")).isEmpty();
    }
}
