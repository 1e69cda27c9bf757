/**
 * The publisher's outside interfaces: the three DNS listeners (UDP and TCP sockets around the domain responder),
 * a read-only HTTP view of what is served, and the readiness check for the restore after a restart.
 */
package dev.cascade.publisher.api;
