package dev.kindling.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.control.HttpApiSnapshot.Route;
import dev.kindling.control.RouteKey;
import dev.kindling.store.HttpApiRouteRecord;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Route selection as API Gateway's documentation describes it, without a server. */
class HttpApiRoutingTest {
    private static List<Route> routes(String... keys) {
        return Arrays.stream(keys).map(k -> new Route(RouteKey.parse(k),
                new HttpApiRouteRecord("api", "r" + k.hashCode(), k, Optional.empty(), Optional.empty(),
                        HttpApiRouteRecord.Authorization.NONE, false)))
                .toList();
    }

    private static Optional<String> selected(List<Route> routes, String method, String path) {
        return HttpApiRouting.select(routes, method, path).map(m -> m.route().key().text());
    }

    @Test
    void theDocumentedExampleSelectsTheMostSpecificRoute() {
        List<Route> routes = routes("GET /pets/dog/1", "GET /pets/dog/{id}", "GET /pets/{proxy+}", "ANY /{proxy+}",
                "$default");
        assertThat(selected(routes, "GET", "/pets/dog/1")).contains("GET /pets/dog/1");
        assertThat(selected(routes, "GET", "/pets/dog/2")).contains("GET /pets/dog/{id}");
        assertThat(selected(routes, "GET", "/pets/cat/1")).contains("GET /pets/{proxy+}");
        assertThat(selected(routes, "POST", "/pets/dog/123")).contains("ANY /{proxy+}");
        assertThat(selected(routes, "GET", "/")).contains("$default");
    }

    @Test
    void literalsBeatVariablesAndMethodsBeatAny() {
        List<Route> routes = routes("ANY /users", "GET /users", "GET /users/{id}", "GET /users/me", "ANY /users/{id}");
        assertThat(selected(routes, "GET", "/users")).contains("GET /users");
        assertThat(selected(routes, "POST", "/users")).contains("ANY /users");
        assertThat(selected(routes, "GET", "/users/me")).contains("GET /users/me");
        assertThat(selected(routes, "GET", "/users/42")).contains("GET /users/{id}");
        assertThat(selected(routes, "DELETE", "/users/42")).contains("ANY /users/{id}");
        assertThat(selected(routes, "GET", "/users/42/posts")).isEmpty();
        assertThat(selected(routes, "GET", "/users/")).as("a trailing slash").contains("GET /users");
    }

    @Test
    void pathParametersAreBoundAndDecodedAndAGreedyVariableTakesTheRest() {
        List<Route> routes = routes("GET /users/{id}/files/{path+}", "GET /users/{id}");
        var match = HttpApiRouting.select(routes, "GET", "/users/a%20b/files/x/y%2Fz.txt").orElseThrow();
        assertThat(match.route().key().text()).isEqualTo("GET /users/{id}/files/{path+}");
        assertThat(match.pathParameters()).containsExactly(Map.entry("id", "a b"), Map.entry("path", "x/y/z.txt"));
        assertThat(HttpApiRouting.select(routes, "GET", "/users/1+2").orElseThrow().pathParameters())
                .containsEntry("id", "1+2");
        assertThat(selected(routes, "GET", "/users/7/files")).as("greedy needs a segment").isEmpty();
    }

    @Test
    void aLongerLiteralPrefixBeatsAShorterOneAmongGreedyRoutes() {
        List<Route> routes = routes("ANY /{proxy+}", "ANY /api/{proxy+}", "ANY /api/v1/{proxy+}");
        assertThat(selected(routes, "GET", "/api/v1/x")).contains("ANY /api/v1/{proxy+}");
        assertThat(selected(routes, "GET", "/api/v2/x")).contains("ANY /api/{proxy+}");
        assertThat(selected(routes, "GET", "/other")).contains("ANY /{proxy+}");
        assertThat(selected(routes, "GET", "/")).isEmpty();
    }

    @Test
    void theRootPathHasARouteOfItsOwn() {
        List<Route> routes = routes("GET /", "GET /{proxy+}");
        assertThat(selected(routes, "GET", "/")).contains("GET /");
        assertThat(selected(routes, "GET", "/a")).contains("GET /{proxy+}");
    }
}
