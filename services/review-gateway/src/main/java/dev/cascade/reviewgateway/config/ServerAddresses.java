package dev.cascade.reviewgateway.config;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Where the publisher serves the loaded version under review, the signed version under review and the published
 * zones (design port table: 4540, 4541, 4542, the reference's defaults). Only shown to operators, never dialled.
 */
@ApplicationScoped
public class ServerAddresses {

  private final List<String> unsignedReview;
  private final List<String> signedReview;
  private final List<String> publication;

  public ServerAddresses(
      @ConfigProperty(name = "cascade.unsigned-review-addresses", defaultValue = "127.0.0.1:4540")
          List<String> unsignedReview,
      @ConfigProperty(name = "cascade.signed-review-addresses", defaultValue = "127.0.0.1:4541")
          List<String> signedReview,
      @ConfigProperty(name = "cascade.publication-addresses", defaultValue = "127.0.0.1:4542")
          List<String> publication) {
    this.unsignedReview = List.copyOf(unsignedReview);
    this.signedReview = List.copyOf(signedReview);
    this.publication = List.copyOf(publication);
  }

  public List<String> unsignedReview() {
    return unsignedReview;
  }

  public List<String> signedReview() {
    return signedReview;
  }

  public List<String> publication() {
    return publication;
  }
}
