/** Plain JUnit tests of the key manager's rules: key-set generation, unique key tags, keep/reactivate/generate, KEK format. */
package dev.cascade.keymanager.domain;
