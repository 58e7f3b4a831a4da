package dev.kindling.control;

import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The Marker of the List operations: opaque to clients, it holds where the last page ended (a name, or a
 * {@code name:version}), so the next page starts after it.
 */
final class PageMarkers {
    private PageMarkers() {}

    static String encode(String lastEntry) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(lastEntry.getBytes(StandardCharsets.UTF_8));
    }

    /** Where the previous page ended; empty for no marker (the first page). */
    static String decode(String marker, String operation) {
        if (marker == null || marker.isEmpty()) {
            return "";
        }
        try {
            return new String(Base64.getUrlDecoder().decode(marker), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new LambdaException(ErrorType.InvalidParameterValueException, "Invalid Marker '" + marker
                    + "': pass the NextMarker of a previous " + operation + " response.");
        }
    }
}
