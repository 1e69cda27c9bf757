/** Plain JUnit tests of the publisher's domain: snapshots, served-zone swaps and the transfer ACL. */
package dev.cascade.publisher.domain;
