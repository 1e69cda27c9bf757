/**
 * Tests of the DNS servers against real sockets, with dnsjava's own client ({@code SimpleResolver},
 * {@code ZoneTransferIn}) and raw UDP/TCP where the exact wire matters, of NOTIFY, and of a real secondary (Knot)
 * taking zones from them.
 */
package dev.cascade.publisher.dns;
