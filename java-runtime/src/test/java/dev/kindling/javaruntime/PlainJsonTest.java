package dev.kindling.javaruntime;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The plain-value reader and writer give what AWS's Jackson factory gives, or step aside for it. */
class PlainJsonTest {
    private static final List<String> DOCUMENTS = List.of(
            "{\"a\":1.5,\"b\":12345678901,\"big\":123456789012345678901234,\"c\":[1,\"x\",null,true],"
                    + "\"d\":{\"e\":1e3,\"f\":-0.0,\"n\":null},\"u\":\"\\u00e9\\n\\b\\f\\u0001/\\ud83d\\ude00 é😀\"}",
            "[]", "{}", "\"text\"", "42", "-7", "2147483648", "true", "1.0E-5", " { \"k\" : [ ] } ",
            "{\"a\":1,\"a\":2}", "0", "-0", "1e5", "[[[{\"deep\":[1,2,{\"x\":\"y\"}]}]]]");

    @Test
    void readsAndWritesPlainValuesAsAwsJacksonDoes() {
        for (String document : DOCUMENTS) {
            Object jackson = JacksonFactory.getInstance().getSerializer((Type) Object.class).fromJson(document);
            Optional<Object> plain = PlainJson.read(document.getBytes(StandardCharsets.UTF_8), Object.class);
            assertThat(plain).as(document).isPresent();
            assertThat(plain.get()).as(document).isEqualTo(jackson).hasSameClassAs(jackson);
            assertThat(plainText(plain.get())).as(document).isEqualTo(jacksonText(jackson));
        }
        Map<String, Object> withNulls = new LinkedHashMap<>();
        withNulls.put("gone", null);
        withNulls.put("kept", List.of(Map.of("f", 1.25f), "tab\there\u001f"));
        assertThat(plainText(withNulls)).isEqualTo(jacksonText(withNulls)).isEqualTo("{\"kept\":[{\"f\":1.25},"
                + "\"tab\\there\\u001F\"]}");
    }

    @Test
    void leavesToJacksonWhatItDoesNotTake() {
        for (String invalid : List.of("01", "1.", "{\"a\":}", "[1,]", "tru", "\"a\u0001\"", "1e", "{'a':1}", "null")) {
            assertThat(PlainJson.read(invalid.getBytes(StandardCharsets.UTF_8), Object.class)).as(invalid).isEmpty();
        }
        assertThat(PlainJson.read("42".getBytes(StandardCharsets.UTF_8), String.class))
                .as("a number read as a String is Jackson's coercion").isEmpty();
        assertThat(PlainJson.read("\"x\"".getBytes(StandardCharsets.UTF_8), List.class)).isEmpty();
        assertThat(PlainJson.write(new Object(), new ByteArrayOutputStream())).isFalse();
        assertThat(PlainJson.write(Map.of("when", java.time.Instant.EPOCH), new ByteArrayOutputStream())).isFalse();
    }

    private static String plainText(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(PlainJson.write(value, out)).isTrue();
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String jacksonText(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JacksonFactory.getInstance().getSerializer((Type) Object.class).toJson(value, out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
