/**
 * The propagation checks of a key roll on real DNS ({@code auto-report}): queries to the publication servers and the
 * parent's name servers, and a streamed zone transfer. What must be served, and whether an answer is it, is
 * dnssec-core's ({@code PropagationExpectation}); this package only asks. The roll driver reaches it through the
 * domain's {@code PropagationChecker}, so it stays testable with a fixed clock and no network.
 */
package dev.cascade.keymanager.propagation;
