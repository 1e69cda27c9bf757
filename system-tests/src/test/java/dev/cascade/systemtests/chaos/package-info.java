/**
 * The chaos suite (issue 9, item 8): the local HA stack of deploy/local/stack.sh under a seeded, time-bounded load of
 * zone reloads and reviews, with faults injected at random into its processes (kill -9 of any instance or broker,
 * SIGSTOP of a signer beyond the consumer session, a network partition of the instance run in a network namespace),
 * checked from outside: by zone transfers from every publisher replica, by independent validators, and by reading the
 * topics. Traffic goes to loopback only, and to the network namespace the suite creates.
 */
package dev.cascade.systemtests.chaos;
