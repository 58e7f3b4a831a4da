package dev.kindling.control;

/** Told after an alias was pointed elsewhere or deleted, outside any lock of {@link FunctionService}'s. */
@FunctionalInterface
public interface AliasChangeListener {
    void aliasChanged(String functionName, String aliasName);
}
