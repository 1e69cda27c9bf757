/** Plain JUnit tests of the loader's domain rules: parsing outcomes, digest comparison and apex spelling. */
package dev.cascade.loader.domain;
