/**
 * The publisher's DNS side: the three servers (UDP and TCP sockets around the domain's responder, with their transfer
 * ACLs and the per-client transfer limit), and the NOTIFYs sent to secondaries. Used by the pipeline, which installs
 * the versions they serve, and by the HTTP view; it uses neither.
 */
package dev.cascade.publisher.dns;
