package dev.cascade.signer;

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
          .importPackages("dev.cascade.signer");

  @Test
  void domainIsPlainJava() {
    noClasses()
        .that()
        .resideInAPackage("..signer.domain..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.quarkus..", "io.smallrye..", "io.vertx..", "org.apache.kafka..", "org.apache.avro..",
            "jakarta..", "org.eclipse.microprofile..", "dev.cascade.events..", "dev.cascade.content..",
            "dev.cascade.service.kafka..", "dev.cascade.service.tracing..", "io.opentelemetry..",
            "dev.cascade.signer.persistence..", "dev.cascade.signer.pipeline..", "dev.cascade.signer.api..")
        .check(CLASSES);
  }

  @Test
  void onlyPipelineTouchesKafkaTheEventsAndTheContentTopics() {
    noClasses()
        .that()
        .resideOutsideOfPackage("..signer.pipeline..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.apache.kafka..", "io.smallrye.reactive.messaging..", "org.eclipse.microprofile.reactive.messaging..",
            "io.apicurio..", "dev.cascade.events..", "dev.cascade.content..", "dev.cascade.service.kafka..")
        .check(CLASSES);
  }
}
