package dev.cascade.service.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cascade.testinfra.PostgresConnection;
import dev.cascade.testinfra.Services;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.Test;

/** The start-up migration: tried again after a failure, and safe for replicas that start at the same moment. */
class SchemaMigrationTest {

  private final PostgresConnection postgres = Services.postgres();

  @Test
  void aFailedAttemptIsTriedAgainUntilOneSucceeds() {
    AtomicInteger attempts = new AtomicInteger();
    SchemaMigration.migrate(() -> {
      if (attempts.incrementAndGet() < 3) {
        throw new FlywayException("Unable to baseline schema history table as it already exists, and is empty");
      }
    }, Duration.ZERO);
    assertEquals(3, attempts.get());
  }

  @Test
  void aSchemaThatCannotBeMigratedStillStopsTheStart() {
    AtomicInteger attempts = new AtomicInteger();
    FlywayException broken = new FlywayException("Validate failed: migration checksum mismatch");
    FlywayException thrown = assertThrows(FlywayException.class, () -> SchemaMigration.migrate(() -> {
      attempts.incrementAndGet();
      throw broken;
    }, Duration.ZERO));
    assertSame(broken, thrown);
    assertEquals(SchemaMigration.ATTEMPTS, attempts.get());
  }

  /**
   * Four replicas migrate one empty schema at the same moment, configured as the services are (created schema,
   * baseline on migrate at version 1): every one starts, and each migration ran once.
   */
  @Test
  void replicasStartingAtOnceAllMigrateTheSharedSchema() throws Exception {
    String schema = "migration_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    Path migrations = Files.createTempDirectory("migrations");
    Files.writeString(migrations.resolve("V1__zones.sql"), "CREATE TABLE zone (name text PRIMARY KEY);");
    Files.writeString(migrations.resolve("V2__serials.sql"), "ALTER TABLE zone ADD COLUMN serial bigint;");
    int replicas = 4;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(replicas);
    try {
      List<Future<?>> started = new ArrayList<>();
      for (int i = 0; i < replicas; i++) {
        Flyway flyway = Flyway.configure()
            .dataSource(postgres.jdbcUrl(), postgres.user(), postgres.password())
            .schemas(schema)
            .createSchemas(true)
            .baselineOnMigrate(true)
            .baselineVersion("1")
            .locations("filesystem:" + migrations)
            .load();
        started.add(pool.submit(() -> {
          start.await();
          SchemaMigration.migrate(flyway::migrate, Duration.ofMillis(200));
          return null;
        }));
      }
      start.countDown();
      for (Future<?> replica : started) {
        replica.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(List.of("1", "2"), appliedVersions(schema));
  }

  private List<String> appliedVersions(String schema) throws SQLException {
    List<String> versions = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
        Statement sql = connection.createStatement();
        ResultSet rows = sql.executeQuery("SELECT version FROM " + schema.toLowerCase(Locale.ROOT)
            + ".flyway_schema_history WHERE success AND version IS NOT NULL ORDER BY installed_rank")) {
      while (rows.next()) {
        versions.add(rows.getString(1));
      }
    }
    return versions;
  }
}
