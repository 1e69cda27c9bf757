package dev.cascade.reviewgateway.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A policy as the last {@code cascade policy reload} knew it, by the digest of its settings: what tells the next
 * reload which policies were added, removed or updated (the reference keeps its copies in its state file). Not part of
 * the projection: nothing on the log says what a directory held, and a lost row only makes a reload say "added".
 */
@Entity
@Table(name = "known_policy")
public class KnownPolicy extends PanacheEntityBase {

  @Id
  @Column(length = 255)
  public String name;

  @Column(nullable = false, length = 64)
  public String digest;
}
