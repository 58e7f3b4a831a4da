package dev.kindling.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * CloudWatch's query protocol (the AWS CLI v2 of Debian, older SDKs): a form-encoded POST naming the operation in
 * {@code Action}, lists flattened as {@code Name.member.N}, answers and errors as XML documents in CloudWatch's
 * namespace.
 */
final class CloudWatchQuery implements CloudWatchWire {
    private static final String NAMESPACE = "http://monitoring.amazonaws.com/doc/2010-08-01/";
    /** The members of CloudWatch's answers that are maps (written as entry/key/value, not as structures). */
    private static final Set<String> MAPS = Set.of("ExtendedStatistics");

    @Override
    public String operation(ApiRequest request) {
        return QueryParameters.of(request).optional("Action").orElse("");
    }

    @Override
    public boolean namesOperationInBody() {
        return true;
    }

    /**
     * The parameters as a tree: {@code A.member.2.B=x} is {@code {"A": [.., {"B": "x"}]}}; values stay text.
     */
    @Override
    public JsonNode input(ApiRequest request) {
        Map<String, Object> root = new TreeMap<>();
        QueryParameters.of(request).all().forEach((name, value) -> {
            if (!name.equals("Action") && !name.equals("Version")) {
                place(root, name.split("\\.", -1), 0, value);
            }
        });
        return tree(root);
    }

    /** Puts {@code value} at the path, where a {@code member.N} pair is the Nth element of a list. */
    @SuppressWarnings("unchecked")
    private static void place(Map<String, Object> into, String[] path, int at, String value) {
        String name = path[at];
        boolean last = at == path.length - 1;
        if (last) {
            into.put(name, value);
            return;
        }
        if (path[at + 1].equals("member") && at + 2 < path.length && path[at + 2].matches("\\d{1,4}")) {
            Object list = into.computeIfAbsent(name, n -> new ListElements());
            if (!(list instanceof ListElements elements)) {
                throw CloudWatchError.validation("The parameter " + name + " is both a value and a list.");
            }
            int index = Integer.parseInt(path[at + 2]);
            if (at + 3 == path.length) {
                elements.put(index, value);
            } else {
                Object element = elements.computeIfAbsent(index, i -> new TreeMap<String, Object>());
                if (!(element instanceof Map<?, ?>)) {
                    throw CloudWatchError.validation("The parameter " + name + ".member." + index
                            + " is both a value and a structure.");
                }
                place((Map<String, Object>) element, path, at + 3, value);
            }
            return;
        }
        Object child = into.computeIfAbsent(name, n -> new TreeMap<String, Object>());
        if (!(child instanceof Map<?, ?>) || child instanceof ListElements) {
            throw CloudWatchError.validation("The parameter " + name + " is both a value and a structure.");
        }
        place((Map<String, Object>) child, path, at + 1, value);
    }

    /** A list's elements by their 1-based index, as they came. */
    private static final class ListElements extends TreeMap<Integer, Object> {}

    @SuppressWarnings("unchecked")
    private static JsonNode tree(Object value) {
        if (value instanceof ListElements elements) {
            ArrayNode array = Json.MAPPER.createArrayNode();
            elements.values().forEach(e -> array.add(tree(e)));
            return array;
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = Json.object();
            ((Map<String, Object>) map).forEach((k, v) -> object.set(k, tree(v)));
            return object;
        }
        return Json.MAPPER.getNodeFactory().textNode((String) value);
    }

    @Override
    public ApiResponse output(String operation, ObjectNode result, String requestId) {
        Xml xml = new Xml().raw("<" + operation + "Response xmlns=\"" + NAMESPACE + "\">");
        if (!result.isEmpty()) {
            xml.open(operation + "Result");
            members(xml, result);
            xml.close(operation + "Result");
        }
        xml.open("ResponseMetadata").text("RequestId", requestId).close("ResponseMetadata")
                .close(operation + "Response");
        return ApiResponse.bytes(200, xml.toString().getBytes(StandardCharsets.UTF_8), "text/xml");
    }

    private static void members(Xml xml, JsonNode structure) {
        structure.properties().forEach(member -> element(xml, member.getKey(), member.getValue()));
    }

    private static void element(Xml xml, String name, JsonNode value) {
        if (value.isNull()) {
            return;
        }
        if (MAPS.contains(name) && value.isObject()) {
            xml.open(name);
            value.properties().forEach(entry -> {
                xml.open("entry").text("key", entry.getKey());
                element(xml, "value", entry.getValue());
                xml.close("entry");
            });
            xml.close(name);
        } else if (value.isObject()) {
            xml.open(name);
            members(xml, value);
            xml.close(name);
        } else if (value.isArray()) {
            xml.open(name);
            value.forEach(item -> element(xml, "member", item));
            xml.close(name);
        } else if (value instanceof POJONode pojo && pojo.getPojo() instanceof Instant instant) {
            xml.text(name, instant.toString());
        } else {
            xml.text(name, value.asText());
        }
    }

    @Override
    public ApiResponse error(CloudWatchError error, String requestId) {
        Xml xml = new Xml().raw("<ErrorResponse xmlns=\"" + NAMESPACE + "\">").open("Error")
                .text("Type", error.senderFault() ? "Sender" : "Receiver").text("Code", error.code())
                .text("Message", error.getMessage()).close("Error").text("RequestId", requestId)
                .close("ErrorResponse");
        return ApiResponse.bytes(error.status(), xml.toString().getBytes(StandardCharsets.UTF_8), "text/xml");
    }
}
