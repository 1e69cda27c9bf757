package dev.cascade.service.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.testinfra.PostgresConnection;
import dev.cascade.testinfra.Services;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The roles on a real PostgreSQL, each test in a database of its own. Roles are cluster-wide, so every test provisions
 * them again (which is what a deploy does). The embedded cluster trusts loopback logins, so the tests check what each
 * role may do, not its password at login.
 */
class DatabaseRolesTest {

  private static final String INSUFFICIENT_PRIVILEGE = "42501";

  private final PostgresConnection postgres = Services.postgres();
  private String url;

  @BeforeEach
  void freshDatabase() throws SQLException {
    String database = "roles_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection admin = admin(postgres.jdbcUrl()); Statement sql = admin.createStatement()) {
      sql.execute("CREATE DATABASE " + database);
    }
    url = postgres.jdbcUrl().substring(0, postgres.jdbcUrl().lastIndexOf('/') + 1) + database;
  }

  @Test
  void eachRoleWorksInItsOwnSchemaAndReachesNoOther() throws SQLException {
    provision(passwords("first"));

    execute("cascade_loader", "CREATE TABLE loader.zone (name text PRIMARY KEY)");
    execute("cascade_loader", "INSERT INTO loader.zone VALUES ('example.test.')");

    assertRefused("cascade_signer", "SELECT * FROM loader.zone");
    assertRefused("cascade_signer", "CREATE TABLE loader.intruder (x int)");
    assertRefused("cascade_review_gateway", "INSERT INTO loader.zone VALUES ('other.test.')");
    assertRefused("cascade_signer", "CREATE SCHEMA elsewhere");
  }

  /** An earlier release made every schema as one shared user; the deploy step hands them over, data and all. */
  @Test
  void aSchemaMadeByTheSharedUserIsHandedOverWithItsTablesAndSequences() throws SQLException {
    try (Connection admin = admin(url); Statement sql = admin.createStatement()) {
      sql.execute("CREATE SCHEMA signer");
      sql.execute("CREATE TABLE signer.signed_version (id bigserial PRIMARY KEY, zone text)");
      sql.execute("CREATE SEQUENCE signer.standalone_seq");
      sql.execute("INSERT INTO signer.signed_version (zone) VALUES ('example.test.')");
    }

    provision(passwords("first"));

    execute("cascade_signer", "INSERT INTO signer.signed_version (zone) VALUES ('other.test.')");
    execute("cascade_signer", "SELECT nextval('signer.standalone_seq')");
    assertEquals(List.of("cascade_signer"), query(
        "SELECT DISTINCT pg_get_userbyid(c.relowner) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE n.nspname = 'signer'"));
    assertEquals(List.of("2"), query("SELECT count(*) FROM signer.signed_version"));
    assertRefused("cascade_publisher", "SELECT * FROM signer.signed_version");
  }

  /** Each publisher replica makes a schema of its own at its first start; only the publisher's role may. */
  @Test
  void thePublisherRoleMayCreateReplicaSchemasWhichStayItsOwn() throws SQLException {
    provision(passwords("first"));

    execute("cascade_publisher", "CREATE SCHEMA publisher_2");
    execute("cascade_publisher", "CREATE TABLE publisher_2.published_zone (name text)");
    provision(passwords("first"));

    assertEquals(List.of("cascade_publisher"), query("SELECT pg_get_userbyid(nspowner) FROM pg_namespace"
        + " WHERE nspname = 'publisher_2'"));
    assertRefused("cascade_signer", "SELECT * FROM publisher_2.published_zone");
  }

  @Test
  void runningAgainKeepsEverythingAndSetsTheNewPasswords() throws SQLException {
    provision(passwords("first"));
    execute("cascade_keymanager", "CREATE TABLE keymanager.zone_key (id int)");
    String before = passwordHash("cascade_keymanager");

    provision(passwords("second"));

    assertNotEquals(before, passwordHash("cascade_keymanager"));
    execute("cascade_keymanager", "INSERT INTO keymanager.zone_key VALUES (1)");
  }

  @Test
  void aMissingPasswordIsRefusedBeforeAnythingChanges() {
    Map<String, String> passwords = passwords("first");
    passwords.remove("signer");

    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> provision(passwords));

    assertEquals("no password for the role of signer", refused.getMessage());
  }

  @Test
  void theCommandTakesPasswordsFromTheEnvironmentAndNamesOneThatIsMissing() {
    Map<String, String> environment = new HashMap<>();
    environment.put("DB_ADMIN_PASSWORD", postgres.password());
    for (DatabaseRoles.ServiceRole role : DatabaseRoles.ALL) {
      environment.put(ProvisionDatabaseRoles.passwordVariable(role.service()), "from-env");
    }
    List<String> args = List.of("--url", url, "--user", postgres.user());
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    assertEquals(0, ProvisionDatabaseRoles.run(args, environment::get, new PrintStream(out), System.err));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("role cascade_review_gateway: owns schema reviewgateway"));

    environment.remove("DB_PASSWORD_REVIEW_GATEWAY");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertEquals(1, ProvisionDatabaseRoles.run(args, environment::get, System.out, new PrintStream(err)));
    assertEquals("ERROR: DB_PASSWORD_REVIEW_GATEWAY is not set: the password of role cascade_review_gateway\n",
        err.toString(StandardCharsets.UTF_8));
    assertEquals(2, ProvisionDatabaseRoles.run(List.of("--url", url), environment::get, System.out,
        new PrintStream(new ByteArrayOutputStream())));
  }

  private void provision(Map<String, String> passwords) throws SQLException {
    try (Connection admin = admin(url)) {
      DatabaseRoles.provision(admin, passwords);
    }
  }

  private static Map<String, String> passwords(String prefix) {
    Map<String, String> passwords = new HashMap<>();
    for (DatabaseRoles.ServiceRole role : DatabaseRoles.ALL) {
      passwords.put(role.service(), prefix + "-" + role.service() + "-'quoted'");
    }
    return passwords;
  }

  private Connection admin(String jdbcUrl) throws SQLException {
    return DriverManager.getConnection(jdbcUrl, postgres.user(), postgres.password());
  }

  private void execute(String role, String statement) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url, role, "unchecked-on-a-trusting-cluster");
        Statement sql = connection.createStatement()) {
      sql.execute(statement);
    }
  }

  private void assertRefused(String role, String statement) {
    SQLException refused = assertThrows(SQLException.class, () -> execute(role, statement), role + ": " + statement);
    assertEquals(INSUFFICIENT_PRIVILEGE, refused.getSQLState(), role + ": " + statement + ": " + refused);
  }

  private List<String> query(String statement) throws SQLException {
    try (Connection admin = admin(url); Statement sql = admin.createStatement();
        ResultSet rows = sql.executeQuery(statement)) {
      List<String> values = new java.util.ArrayList<>();
      while (rows.next()) {
        values.add(rows.getString(1));
      }
      return values;
    }
  }

  private String passwordHash(String role) throws SQLException {
    return query("SELECT rolpassword FROM pg_authid WHERE rolname = '" + role + "'").get(0);
  }
}
