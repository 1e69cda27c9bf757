/** Tests of the loader's tables against the real PostgreSQL from test-infra: how its schema comes about. */
package dev.cascade.loader.persistence;
