package dev.cascade.keymanager.pipeline;

/** Channel names used in {@code application.properties}; each maps to one topic of {@code dev.cascade.events.Topics}. */
final class Channels {

  /** Incoming, topic {@code cascade.zone-registry.v1}. */
  static final String ZONE_REGISTRY = "zone-registry";

  /** Incoming, topic {@code cascade.keyset-commands.v1}. */
  static final String KEYSET_COMMANDS = "keyset-commands";
  /** Incoming, topic {@code cascade.ds-submissions.v1}: the key manager's own requests, whose hooks it runs. */
  static final String DS_SUBMISSIONS = "ds-submissions";

  private Channels() {}
}
