/** Tests of the shared event handling: retries, backoff and dead letters, in milliseconds and without a broker. */
package dev.cascade.service.messaging;
