/**
 * The publisher service: a hidden primary that serves, over DNS, the unsigned version under review, the signed
 * version under review and the published signed version of every zone, and swaps in each approved signed version.
 */
package dev.cascade.publisher;
