package dev.cascade.publisher;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The package rules of the design file, checked on the compiled classes so they cannot drift. */
class ArchitectureTest {

  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.cascade.publisher");

  @Test
  void domainIsPlainJava() {
    noClasses()
        .that()
        .resideInAPackage("..publisher.domain..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.quarkus..", "io.smallrye..", "io.vertx..", "org.apache.kafka..", "org.apache.avro..",
            "jakarta..", "org.eclipse.microprofile..", "dev.cascade.events..", "dev.cascade.content..",
            "dev.cascade.service.kafka..",
            "dev.cascade.publisher.persistence..", "dev.cascade.publisher.pipeline..", "dev.cascade.publisher.api..",
            "dev.cascade.publisher.dns..")
        .check(CLASSES);
  }

  /**
   * The DNS side serves what the pipeline installs and what the HTTP view shows; it knows neither, and the pipeline
   * does not know the HTTP view (issue 12: the pipeline and api packages imported each other).
   */
  @Test
  void noCycleBetweenPipelineDnsAndApi() {
    noClasses()
        .that()
        .resideInAPackage("..publisher.dns..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.cascade.publisher.pipeline..", "dev.cascade.publisher.api..")
        .check(CLASSES);
    noClasses()
        .that()
        .resideInAPackage("..publisher.pipeline..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.cascade.publisher.api..")
        .check(CLASSES);
  }

  @Test
  void onlyPipelineTouchesKafkaTheEventsAndTheContentTopics() {
    noClasses()
        .that()
        .resideOutsideOfPackage("..publisher.pipeline..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.apache.kafka..", "io.smallrye.reactive.messaging..", "org.eclipse.microprofile.reactive.messaging..",
            "io.apicurio..", "dev.cascade.events..", "dev.cascade.content..", "dev.cascade.service.kafka..")
        .check(CLASSES);
  }
}
