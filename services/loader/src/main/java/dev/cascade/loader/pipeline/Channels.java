package dev.cascade.loader.pipeline;

/** Channel names used in {@code application.properties}; each maps to one topic of {@code dev.cascade.events.Topics}. */
final class Channels {

  /** Incoming, topic {@code cascade.zone-registry.v1}. */
  static final String ZONE_REGISTRY = "zone-registry";

  /** Incoming, topic {@code cascade.zone-notifies.v1}: NOTIFYs from the zones' primaries, written by the publisher. */
  static final String ZONE_NOTIFIES = "zone-notifies";

  private Channels() {}
}
