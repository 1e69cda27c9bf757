/**
 * What the services share for their Prometheus metrics (docs/operations.md, "Metrics"): per-zone gauges whose series
 * go away with the zone, and the per-stage duration, record and failure meters. Micrometer only: the services expose
 * them at {@code /q/metrics} through quarkus-micrometer-registry-prometheus; dnssec-core stays free of them.
 */
package dev.cascade.service.metrics;
