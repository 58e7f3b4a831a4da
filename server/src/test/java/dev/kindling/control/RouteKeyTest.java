package dev.kindling.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Route keys as API Gateway accepts them, and the clashes it refuses. */
class RouteKeyTest {
    @Test
    void parsesMethodsPathsAndVariables() {
        RouteKey key = RouteKey.parse("GET /users/{id}/files/{path+}");
        assertThat(key.method()).contains("GET");
        assertThat(key.path()).isEqualTo("/users/{id}/files/{path+}");
        assertThat(key.segments()).extracting(RouteKey.Segment::kind).containsExactly(RouteKey.Segment.Kind.LITERAL,
                RouteKey.Segment.Kind.VARIABLE, RouteKey.Segment.Kind.LITERAL, RouteKey.Segment.Kind.GREEDY);
        assertThat(RouteKey.parse("$default").isDefault()).isTrue();
        assertThat(RouteKey.parse("ANY /").segments()).isEmpty();
    }

    @Test
    void refusesKeysApiGatewayRefuses() {
        for (String bad : new String[] {"GET", "GET users", "FETCH /users", "get /users", "GET /a//b",
                "GET /{proxy+}/more", "GET /{}", "GET /{a}/{a}", "GET /a b", "$DEFAULT", "GET  /users"}) {
            assertThatThrownBy(() -> RouteKey.parse(bad)).as(bad).isInstanceOfSatisfying(HttpApiException.class,
                    e -> {
                        assertThat(e.type()).isEqualTo(HttpApiException.Type.BadRequestException);
                        assertThat(e.getMessage()).startsWith("Invalid route key '" + bad + "'");
                    });
        }
    }

    @Test
    void differentVariableNamesAtOneLevelClash() {
        assertThat(RouteKey.parse("GET /users/{id}").conflictingVariable(RouteKey.parse("DELETE /users/{userId}")))
                .contains("{userId}");
        assertThat(RouteKey.parse("GET /a/{x}/b").conflictingVariable(RouteKey.parse("GET /a/{y}/c"))).isPresent();
        assertThat(RouteKey.parse("GET /users/{id}").conflictingVariable(RouteKey.parse("DELETE /users/{id}")))
                .isEmpty();
        assertThat(RouteKey.parse("GET /users/{id}").conflictingVariable(RouteKey.parse("GET /posts/{postId}")))
                .isEmpty();
        assertThat(RouteKey.parse("GET /users/{id}").conflictingVariable(RouteKey.parse("GET /users/{proxy+}")))
                .isEmpty();
        assertThat(RouteKey.parse("GET /users/me").conflictingVariable(RouteKey.parse("GET /users/{id}"))).isEmpty();
    }
}
