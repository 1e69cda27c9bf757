/** Tests of the services' database roles on a real PostgreSQL (embedded, from test-infra). */
package dev.cascade.service.database;
