/**
 * What the signer shows of itself over HTTP: health checks only (the signer has no API of its own; the operator API
 * is review-gateway's).
 */
package dev.cascade.signer.api;
