/** Tests of the key manager's tables against the real PostgreSQL from test-infra: how its schema comes about. */
package dev.cascade.keymanager.persistence;
