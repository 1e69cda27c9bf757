package dev.cascade.keymanager.domain;

import java.util.List;
import java.util.UUID;

/** What to do with a zone's keys when the zone is added. */
public sealed interface KeySetPlan {

  /** The zone already has its keys from an earlier ZoneAdded (restart or replay): announce nothing. */
  record KeepQuiet() implements KeySetPlan {}

  /**
   * The active keys were made for this very event, but its handling did not finish (the announcement may be
   * missing): announce them again.
   */
  record AnnounceActive() implements KeySetPlan {}

  /** The zone was removed and is added again, and its retired keys still fit the policy: bring them back. */
  record Reactivate(List<UUID> keyIds) implements KeySetPlan {}

  /** Generate a new key set. */
  record Generate() implements KeySetPlan {}
}
