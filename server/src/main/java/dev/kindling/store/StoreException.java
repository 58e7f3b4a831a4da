package dev.kindling.store;

/** The database failed: a bug or a broken disk, never the client's fault. */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
