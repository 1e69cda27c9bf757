/**
 * The operator API (JSON over HTTP on 127.0.0.1:4539), with the reference's paths (cascade-reference.md §3.2) so the
 * {@code cascade} CLI maps one command to one call. Errors are HTTP 4xx with {@code {"error": "<message>"}}. Also the
 * readiness check that the projection is rebuilt.
 */
package dev.cascade.reviewgateway.api;
