package dev.cascade.dnssec;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The DNSSEC core stays plain Java (design: "NO Quarkus/Kafka/Avro/JPA imports"), so any service can embed it. */
@AnalyzeClasses(packages = "dev.cascade.dnssec", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  @ArchTest
  static final ArchRule noFrameworkDependencies = noClasses().that().resideInAPackage("dev.cascade.dnssec..")
      .should().dependOnClassesThat().resideInAnyPackage(
          "io.quarkus..", "io.smallrye..", "org.apache.kafka..", "org.apache.avro..", "jakarta.persistence..", "io.vertx..");

  /** The verification gates share no code with the signer, so that a signer bug cannot approve its own output. */
  @ArchTest
  static final ArchRule gatesIndependentOfTheSigner = noClasses().that().resideInAPackage("dev.cascade.dnssec.verify..")
      .should().dependOnClassesThat().resideInAPackage("dev.cascade.dnssec.sign..");
}
