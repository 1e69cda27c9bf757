/** Tests of the review gateway's tables against the real PostgreSQL from test-infra: how its schema comes about. */
package dev.cascade.reviewgateway.persistence;
