/**
 * Tests of the DNS listeners against real sockets, with dnsjava's own client ({@code SimpleResolver},
 * {@code ZoneTransferIn}) and raw UDP/TCP where the exact wire matters.
 */
package dev.cascade.publisher.api;
