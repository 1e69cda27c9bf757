package dev.cascade.service.database;

import io.quarkus.flyway.FlywayConfigurationCustomizer;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.logging.Logger;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * Migrates the service's schema at start so that replicas starting at the same moment all start.
 *
 * <p>Replicas of a service share its schema (docs/architecture.md, "Replicas"), and Flyway's migration is not safe
 * for two processes at once on an empty schema: the second one sees the first one's history table, still empty,
 * takes the schema for one left without history and tries to baseline it ({@code Unable to baseline schema history
 * table ... as it already exists, and is empty}); the HA stack's starts hit it, and the replica exited. The steps
 * after that check run under a PostgreSQL advisory lock, so an attempt after the first one's migration sees the
 * history and has nothing left to do: this migrates, and tries again on a failure.
 *
 * <p>It runs as quarkus-flyway's configuration customizer, the one hook between Quarkus' Flyway configuration and
 * its migrate-at-start, which must come before Hibernate validates the tables: it migrates with the configuration
 * as Quarkus made it, and the migrate-at-start that follows finds the schema up to date. A schema that cannot be
 * migrated still stops the start, after {@link #ATTEMPTS} attempts.
 */
@Singleton
public class SchemaMigration implements FlywayConfigurationCustomizer {

  private static final Logger LOG = Logger.getLogger(SchemaMigration.class.getName());
  /** Attempts before start-up fails; a race with a replica settles in the second. No official reference. */
  static final int ATTEMPTS = 5;
  /** Pause between attempts, long enough for a replica's migration of a few tables; no official reference. */
  static final Duration PAUSE = Duration.ofSeconds(2);

  @Override
  public void customize(FluentConfiguration configuration) {
    migrate(() -> configuration.load().migrate(), PAUSE);
  }

  /**
   * Runs {@code migration} until it succeeds, at most {@link #ATTEMPTS} times, {@code pause} apart; the last failure
   * is thrown.
   */
  static void migrate(Runnable migration, Duration pause) {
    for (int attempt = 1; ; attempt++) {
      try {
        migration.run();
        return;
      } catch (FlywayException e) {
        if (attempt == ATTEMPTS) {
          throw e;
        }
        int next = attempt + 1;
        LOG.warning(() -> "schema migration failed (" + e.getMessage().lines().findFirst().orElse("") + "), attempt "
            + next + " of " + ATTEMPTS + " in " + pause.toSeconds() + " s: perhaps a replica migrating it at once");
        try {
          Thread.sleep(pause.toMillis());
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }
}
