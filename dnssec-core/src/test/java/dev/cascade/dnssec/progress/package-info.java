/** Tests of the progress throttle, on a clock the test moves by hand. */
package dev.cascade.dnssec.progress;
