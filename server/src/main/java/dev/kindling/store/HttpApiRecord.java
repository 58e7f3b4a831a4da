package dev.kindling.store;

/**
 * An HTTP API (API Gateway v2, ProtocolType HTTP), as persisted.
 *
 * @param apiId 10 lowercase letters and digits, as AWS gives
 * @param createdMillis when CreateApi made it
 */
public record HttpApiRecord(String apiId, String name, HttpApiSettings settings, long createdMillis) {
    public HttpApiRecord withName(String newName) {
        return new HttpApiRecord(apiId, newName, settings, createdMillis);
    }

    public HttpApiRecord withSettings(HttpApiSettings newSettings) {
        return new HttpApiRecord(apiId, name, newSettings, createdMillis);
    }
}
