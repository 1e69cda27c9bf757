/**
 * The publisher's HTTP interfaces: a read-only view of what is served and of the NOTIFYs sent, and the readiness
 * checks for the restore and the rebuild after a restart.
 */
package dev.cascade.publisher.api;
