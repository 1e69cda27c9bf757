/**
 * Reading a service's Prometheus metrics in tests: the text a scrape of {@code /q/metrics} returns, parsed into
 * series, so that a test asserts the series and values an operator's Prometheus would see.
 */
package dev.cascade.testinfra.metrics;
