package dev.cascade.reviewgateway.domain;

/** The two review gates: the loaded (unsigned) version and the signed version (cascade-reference.md §2). */
public enum GateStage {
  UNSIGNED,
  SIGNED
}
