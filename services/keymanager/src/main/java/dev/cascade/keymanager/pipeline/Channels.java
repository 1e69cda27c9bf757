package dev.cascade.keymanager.pipeline;

/** Channel names used in {@code application.properties}; each maps to one topic of {@code dev.cascade.events.Topics}. */
final class Channels {

  /** Incoming, topic {@code cascade.zone-registry.v1}. */
  static final String ZONE_REGISTRY = "zone-registry";

  /** Outgoing, topic {@code cascade.key-sets.v1}. */
  static final String KEY_SETS = "key-sets";

  private Channels() {}
}
