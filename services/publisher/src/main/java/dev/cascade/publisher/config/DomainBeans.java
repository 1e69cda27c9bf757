package dev.cascade.publisher.config;

import dev.cascade.publisher.domain.IncomingNotify;
import dev.cascade.publisher.domain.PublicationFailures;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** CDI producers for the plain-Java domain objects the publisher shares between its beans. */
public class DomainBeans {

  @Produces
  @Singleton
  PublicationFailures publicationFailures() {
    return new PublicationFailures();
  }

  @Produces
  @Singleton
  IncomingNotify incomingNotify() {
    return new IncomingNotify();
  }
}
