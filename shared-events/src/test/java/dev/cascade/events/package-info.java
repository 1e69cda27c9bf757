/**
 * Build checks of the event contracts: schema compatibility against the released copies, the topic catalogue,
 * and the metadata factory.
 */
package dev.cascade.events;
