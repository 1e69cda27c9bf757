package dev.cascade.service.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Provisions one PostgreSQL role per service, each the owner of its service's schema and of everything in it, with
 * no access to any other schema: {@code REVOKE ALL ... FROM PUBLIC} on each schema, and no grant to another role.
 *
 * <p>Idempotent, so the deploy step runs before every start or upgrade. It also moves a schema that an earlier release
 * made as one shared user (its tables, sequences and Flyway's history) to the service's role, so an upgrade needs no
 * hand work. The publisher's role may also create schemas, since each publisher replica keeps its tables in a schema
 * of its own ({@code publisher_<i>}, made by Flyway at the replica's first start); the others may not.
 */
public final class DatabaseRoles {

  private static final Logger LOG = Logger.getLogger(DatabaseRoles.class.getName());

  /**
   * A service's role and schema. {@code schemaPrefix}, when set, also gives the role every schema whose name starts
   * with it, and the right to create such schemas.
   */
  public record ServiceRole(String service, String role, String schema, String schemaPrefix) {}

  /** The five services, their roles, and the schemas their quarkus.flyway.schemas name. */
  public static final List<ServiceRole> ALL = List.of(
      new ServiceRole("loader", "cascade_loader", "loader", null),
      new ServiceRole("keymanager", "cascade_keymanager", "keymanager", null),
      new ServiceRole("signer", "cascade_signer", "signer", null),
      new ServiceRole("publisher", "cascade_publisher", "publisher", "publisher_"),
      new ServiceRole("review-gateway", "cascade_review_gateway", "reviewgateway", null));

  private DatabaseRoles() {}

  /**
   * Creates or updates every role with its password ({@code passwords} by service name) and hands it its schemas.
   * {@code admin} must be allowed to create roles and schemas (a superuser, or the database owner with CREATEROLE).
   */
  public static void provision(Connection admin, Map<String, String> passwords) throws SQLException {
    for (ServiceRole role : ALL) {
      if (passwords.get(role.service()) == null || passwords.get(role.service()).isEmpty()) {
        throw new IllegalArgumentException("no password for the role of " + role.service());
      }
    }
    boolean autoCommit = admin.getAutoCommit();
    admin.setAutoCommit(false);
    try (Statement sql = admin.createStatement()) {
      String database = quoteIdentifier(currentDatabase(admin));
      for (ServiceRole role : ALL) {
        String name = quoteIdentifier(role.role());
        if (!exists(admin, "SELECT 1 FROM pg_roles WHERE rolname = ?", role.role())) {
          sql.execute("CREATE ROLE " + name);
        }
        sql.execute("ALTER ROLE " + name + " WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD "
            + quoteLiteral(passwords.get(role.service())));
        sql.execute("GRANT CONNECT ON DATABASE " + database + " TO " + name);
        if (role.schemaPrefix() != null) {
          sql.execute("GRANT CREATE ON DATABASE " + database + " TO " + name);
        }
        sql.execute("CREATE SCHEMA IF NOT EXISTS " + quoteIdentifier(role.schema()) + " AUTHORIZATION " + name);
        for (String schema : schemasOf(admin, role)) {
          handOver(admin, sql, schema, name);
        }
        LOG.info(() -> "role " + role.role() + " owns schema " + role.schema()
            + (role.schemaPrefix() == null ? "" : " and " + role.schemaPrefix() + "*"));
      }
      admin.commit();
    } catch (SQLException | RuntimeException e) {
      admin.rollback();
      throw e;
    } finally {
      admin.setAutoCommit(autoCommit);
    }
  }

  /** Makes {@code role} the owner of the schema and of every table, sequence and view in it, and shuts out PUBLIC. */
  private static void handOver(Connection admin, Statement sql, String schema, String role) throws SQLException {
    String quoted = quoteIdentifier(schema);
    sql.execute("ALTER SCHEMA " + quoted + " OWNER TO " + role);
    sql.execute("REVOKE ALL ON SCHEMA " + quoted + " FROM PUBLIC");
    // relkind: r table, p partitioned table, v view, m materialized view, S sequence; a sequence owned by a column
    // moves with its table and refuses a separate ALTER, hence the dependency filter.
    List<String[]> relations = new ArrayList<>();
    try (PreparedStatement query = admin.prepareStatement("""
        SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ? AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')
                          AND c.relkind = 'S')
        ORDER BY c.relname""")) {
      query.setString(1, schema);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          relations.add(new String[] {rows.getString(1), rows.getString(2)});
        }
      }
    }
    for (String[] relation : relations) {
      String kind = switch (relation[1]) {
        case "S" -> "SEQUENCE";
        case "v" -> "VIEW";
        case "m" -> "MATERIALIZED VIEW";
        default -> "TABLE";
      };
      sql.execute("ALTER " + kind + " " + quoted + "." + quoteIdentifier(relation[0]) + " OWNER TO " + role);
    }
  }

  private static List<String> schemasOf(Connection admin, ServiceRole role) throws SQLException {
    List<String> schemas = new ArrayList<>();
    try (PreparedStatement query = admin.prepareStatement(
        "SELECT nspname FROM pg_namespace WHERE nspname = ? OR (? IS NOT NULL AND starts_with(nspname, ?))"
            + " ORDER BY nspname")) {
      query.setString(1, role.schema());
      query.setString(2, role.schemaPrefix());
      query.setString(3, role.schemaPrefix());
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          schemas.add(rows.getString(1));
        }
      }
    }
    return schemas;
  }

  private static boolean exists(Connection connection, String query, String value) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(query)) {
      statement.setString(1, value);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next();
      }
    }
  }

  private static String currentDatabase(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT current_database()")) {
      rows.next();
      return rows.getString(1);
    }
  }

  /** A PostgreSQL identifier in double quotes (SQL standard; PostgreSQL docs §4.1.1). */
  static String quoteIdentifier(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  /** A string constant: quotes doubled; DDL takes no bind parameters, so a password goes in as a literal. */
  static String quoteLiteral(String value) {
    if (value.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("a password cannot contain a NUL character");
    }
    return "'" + value.replace("'", "''") + "'";
  }
}
