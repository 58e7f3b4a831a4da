package dev.kindling.iam;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * One page of an IAM List operation: its items, and the Marker of the next page when there is one (IsTruncated).
 * The marker is opaque to clients; it holds the key of the page's last item, so the next page starts after it.
 */
public record Page<T>(List<T> items, Optional<String> marker) {
    /** IAM's MaxItems default. */
    static final int DEFAULT_MAX_ITEMS = 100;

    /** The page of {@code all} (sorted by {@code key}) after {@code marker}, at most {@code maxItems} long. */
    static <T> Page<T> of(List<T> all, Function<T, String> key, Optional<String> marker, OptionalInt maxItems) {
        int size = maxItems.orElse(DEFAULT_MAX_ITEMS);
        if (size < 1 || size > 1000) {
            throw IamException.validation("1 validation error detected: Value '" + size
                    + "' at 'maxItems' failed to satisfy constraint: Member must have value "
                    + (size < 1 ? "greater than or equal to 1" : "less than or equal to 1000"));
        }
        String after = marker.map(Page::decode).orElse("");
        List<T> rest = all.stream().filter(item -> after.isEmpty() || key.apply(item).compareTo(after) > 0).toList();
        if (rest.size() <= size) {
            return new Page<>(rest, Optional.empty());
        }
        List<T> page = rest.subList(0, size);
        return new Page<>(page, Optional.of(encode(key.apply(page.get(size - 1)))));
    }

    private static String encode(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String marker) {
        try {
            return new String(Base64.getUrlDecoder().decode(marker), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw IamException.invalidInput("Invalid Marker '" + marker + "': pass the Marker of a previous answer.");
        }
    }
}
