package dev.kindling.api;

import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Maps method and path to an endpoint. Patterns are literal segments and {@code {name}} segments; a trailing slash
 * is ignored, as AWS ignores it.
 */
public final class Router implements ServiceRoutes {
    @FunctionalInterface
    interface Endpoint {
        ApiResponse handle(ApiRequest request) throws Exception;
    }

    /**
     * @param operation the AWS operation's name, as AWS's messages name it (CreateFunction, Invoke, ...)
     * @param query a query parameter the request must carry with this value, for operations that share a path
     */
    private record Route(String operation, String method, String[] segments, Endpoint endpoint, boolean signed,
            Optional<QueryParameter> query) {
        boolean accepts(ApiRequest request) {
            return method.equals(request.method())
                    && query.map(q -> request.queryParam(q.name()).equals(Optional.of(q.value()))).orElse(true);
        }
    }

    private record QueryParameter(String name, String value) {}

    /** A matched route: the operation, what to call, and whether the request must carry a SigV4 signature. */
    record Match(String operation, Endpoint endpoint, ApiRequest request, boolean signed) {}

    private final List<Route> routes = new ArrayList<>();
    private final String signingName;
    private final Function<LambdaException, ApiResponse> errors;

    /** Lambda's routes. */
    public Router() {
        this("lambda", ErrorResponses::of);
    }

    /** The routes of another REST-JSON service on the one port, which writes its errors with {@code errors}. */
    Router(String signingName, Function<LambdaException, ApiResponse> errors) {
        this.signingName = signingName;
        this.errors = errors;
    }

    @Override
    public String signingName() {
        return signingName;
    }

    @Override
    public ApiResponse error(LambdaException e) {
        return errors.apply(e);
    }

    Router add(String operation, String method, String pattern, Endpoint endpoint) {
        routes.add(new Route(operation, method, split(pattern), endpoint, true, Optional.empty()));
        return this;
    }

    /**
     * A route taken only when the query parameter {@code name} is {@code value}, as AWS tells GetLayerVersionByArn
     * ({@code GET /2018-10-31/layers?find=LayerVersion}) from ListLayers on the same path. Add it before the route
     * without the parameter.
     */
    Router addWithQuery(String operation, String method, String pattern, String name, String value,
            Endpoint endpoint) {
        routes.add(new Route(operation, method, split(pattern), endpoint, true,
                Optional.of(new QueryParameter(name, value))));
        return this;
    }

    /** A route that carries its own proof of access instead of a signature (e.g. a signed download URL). */
    Router addUnsigned(String operation, String method, String pattern, Endpoint endpoint) {
        routes.add(new Route(operation, method, split(pattern), endpoint, false, Optional.empty()));
        return this;
    }

    @Override
    public Match route(ApiRequest request) {
        String[] path = split(request.rawPath());
        boolean pathKnown = false;
        for (Route route : routes) {
            Map<String, String> params = match(route.segments(), path);
            if (params != null) {
                pathKnown = true;
                if (route.accepts(request)) {
                    return new Match(route.operation(), route.endpoint(), request.withPathParams(params),
                            route.signed());
                }
            }
        }
        throw new LambdaException(ErrorType.UnknownOperationException, "Kindling does not implement "
                + request.method() + " " + request.rawPath() + (pathKnown ? " (that path takes other methods)" : ""));
    }

    private static Map<String, String> match(String[] pattern, String[] path) {
        if (pattern.length != path.length) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < pattern.length; i++) {
            String p = pattern[i];
            if (p.startsWith("{") && p.endsWith("}")) {
                params.put(p.substring(1, p.length() - 1), ApiRequest.decode(path[i]));
            } else if (!p.equals(path[i])) {
                return null;
            }
        }
        return params;
    }

    private static String[] split(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
    }
}
