package dev.kindling.store;

import java.time.Instant;
import java.util.Optional;

/** An EventBridge event bus: the default one or one made by CreateEventBus. */
public record EventBusRecord(String name, Optional<String> description, Instant created) {}
