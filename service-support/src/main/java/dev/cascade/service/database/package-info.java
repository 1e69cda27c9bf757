/**
 * The services' database roles and schemas. Roles (issue 9, item 4): each service connects as a role of its own that
 * owns its schema and reaches no other, so a fault in one service cannot write another's tables; {@link
 * dev.cascade.service.database.DatabaseRoles} provisions them, a deploy step like the schema registration, in plain
 * JDBC. Schemas: {@link dev.cascade.service.database.SchemaMigration} migrates a service's schema at start, safely
 * when its replicas start at once (quarkus-flyway's configuration customizer).
 */
package dev.cascade.service.database;
