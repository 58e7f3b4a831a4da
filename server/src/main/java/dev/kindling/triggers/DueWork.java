package dev.kindling.triggers;

/** Work a {@link Ticker} runs at every tick: fire whatever is due at the clock's reading. */
@FunctionalInterface
public interface DueWork {
    void runDue() throws InterruptedException;
}
