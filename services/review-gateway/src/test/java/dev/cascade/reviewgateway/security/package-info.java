/** Tests of the operator API's tokens file, without Quarkus. */
package dev.cascade.reviewgateway.security;
