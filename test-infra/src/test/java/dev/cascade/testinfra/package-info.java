/**
 * Self-tests of the test infrastructure: each service is started the way other modules' tests start it and used for a
 * real round trip, so a broken fallback shows up here and not as a puzzling failure in a service test.
 */
package dev.cascade.testinfra;
