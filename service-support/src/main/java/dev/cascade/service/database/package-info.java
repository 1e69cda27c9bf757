/**
 * The services' database roles (issue 9, item 4): each service connects as a role of its own that owns its schema and
 * reaches no other, so a fault in one service cannot write another's tables. {@link
 * dev.cascade.service.database.DatabaseRoles} provisions them, a deploy step like the schema registration; plain JDBC,
 * with no Quarkus.
 */
package dev.cascade.service.database;
