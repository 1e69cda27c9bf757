package dev.cascade.service.database;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The deploy step as a command: {@code ProvisionDatabaseRoles --url <jdbc url> --user <admin>} runs {@link
 * DatabaseRoles#provision} and exits 0, or prints {@code ERROR: <reason>} and exits 1 (2 for a wrong command line).
 * Passwords come from the environment, never the command line (which other users of the host can read): the
 * administrator's from {@code DB_ADMIN_PASSWORD}, each service role's from {@code DB_PASSWORD_<SERVICE>}
 * ({@code DB_PASSWORD_LOADER}, ..., {@code DB_PASSWORD_REVIEW_GATEWAY}), the variable that service then reads as
 * {@code DB_PASSWORD}.
 *
 * <p>Like shared-events' RegisterSchemas, a main class that every service image holds in {@code /deployments/lib/main},
 * with the PostgreSQL driver beside it, so compose, the chart and stack.sh run it without an image of their own.
 */
public final class ProvisionDatabaseRoles {

  static final String USAGE = "usage: ProvisionDatabaseRoles --url <jdbc:postgresql://host:port/db> --user <admin>\n"
      + "  Creates or updates one role per service (cascade_loader, ...), each the owner of its service's schema only;\n"
      + "  safe to run again. Passwords from the environment: DB_ADMIN_PASSWORD for <admin>, and\n"
      + "  DB_PASSWORD_LOADER, DB_PASSWORD_KEYMANAGER, DB_PASSWORD_SIGNER, DB_PASSWORD_PUBLISHER and\n"
      + "  DB_PASSWORD_REVIEW_GATEWAY for the services' roles.";

  private ProvisionDatabaseRoles() {}

  public static void main(String[] args) {
    System.exit(run(List.of(args), System.getenv()::get, System.out, System.err));
  }

  /** Runs one command line with {@code environment} for the passwords; returns the exit status. */
  static int run(List<String> args, UnaryOperator<String> environment, PrintStream out, PrintStream err) {
    String url = null;
    String user = null;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("-h") || arg.equals("--help")) {
        out.println(USAGE);
        return 0;
      } else if (arg.equals("--url") && i + 1 < args.size()) {
        url = args.get(++i);
      } else if (arg.equals("--user") && i + 1 < args.size()) {
        user = args.get(++i);
      } else {
        err.println("ERROR: unexpected argument '" + arg + "'");
        err.println(USAGE);
        return 2;
      }
    }
    if (url == null || user == null) {
      err.println("ERROR: --url and --user are required");
      err.println(USAGE);
      return 2;
    }
    Map<String, String> passwords = new HashMap<>();
    for (DatabaseRoles.ServiceRole role : DatabaseRoles.ALL) {
      String variable = passwordVariable(role.service());
      String password = environment.apply(variable);
      if (password == null || password.isEmpty()) {
        err.println("ERROR: " + variable + " is not set: the password of role " + role.role());
        return 1;
      }
      passwords.put(role.service(), password);
    }
    String adminPassword = environment.apply("DB_ADMIN_PASSWORD");
    try (Connection admin = DriverManager.getConnection(url, user, adminPassword == null ? "" : adminPassword)) {
      DatabaseRoles.provision(admin, passwords);
    } catch (SQLException e) {
      err.println("ERROR: " + e.getMessage());
      return 1;
    }
    for (DatabaseRoles.ServiceRole role : DatabaseRoles.ALL) {
      out.println("role " + role.role() + ": owns schema " + role.schema()
          + (role.schemaPrefix() == null ? "" : " and " + role.schemaPrefix() + "<i>"));
    }
    return 0;
  }

  /** {@code DB_PASSWORD_REVIEW_GATEWAY} for "review-gateway". */
  static String passwordVariable(String service) {
    return "DB_PASSWORD_" + service.toUpperCase(Locale.ROOT).replace('-', '_');
  }
}
