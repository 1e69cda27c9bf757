/** Tests of the TSIG keyring: facts applied in order, secrets unwrapped under the service's KEK or not at all. */
package dev.cascade.service.tsig;
