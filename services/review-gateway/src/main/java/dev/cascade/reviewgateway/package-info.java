/**
 * review-gateway: the operator-facing service of Cascade. It owns the policy files, turns operator commands into
 * zone-registry facts, holds the two review gates (unsigned and signed) and projects every pipeline event into the
 * per-zone status and history that {@code cascade zone status} prints.
 */
package dev.cascade.reviewgateway;
