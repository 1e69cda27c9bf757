package dev.cascade.reviewgateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The package rules of the design file, checked on the compiled classes so they cannot drift. */
class ArchitectureTest {

  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.cascade.reviewgateway");

  @Test
  void domainIsPlainJava() {
    noClasses().that().resideInAPackage("..reviewgateway.domain..")
        .should().dependOnClassesThat().resideInAnyPackage("io.quarkus..", "io.smallrye..", "io.vertx..",
            "org.apache.kafka..", "jakarta.persistence..", "jakarta.ws.rs..", "org.eclipse.microprofile..",
            "dev.cascade.events..", "dev.cascade.reviewgateway.persistence..", "dev.cascade.reviewgateway.pipeline..",
            "dev.cascade.reviewgateway.api..", "dev.cascade.service.kafka..")
        .check(CLASSES);
  }

  @Test
  void onlyPipelineTouchesKafkaAndTheEvents() {
    noClasses().that().resideOutsideOfPackage("..reviewgateway.pipeline..")
        .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "io.smallrye.reactive.messaging..",
            "org.eclipse.microprofile.reactive.messaging..", "io.apicurio..", "dev.cascade.events..",
            "dev.cascade.service.kafka..")
        .check(CLASSES);
  }
}
