package dev.cascade.reviewgateway.config;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The publisher's server settings that may name TSIG keys, {@code provide-xfr-to} and {@code send-notify-to}: read
 * from the same environment variables as the publisher's (application.properties), so that {@code tsig remove}
 * refuses a key the publisher uses, like {@link ServerAddresses} mirrors its addresses.
 */
@ApplicationScoped
public class ServerTsigSettings {

  private final Map<String, List<String>> settings = new TreeMap<>();

  public ServerTsigSettings(
      @ConfigProperty(name = "cascade.server.provide-xfr-to") Optional<List<String>> provideXfrTo,
      @ConfigProperty(name = "cascade.server.send-notify-to") Optional<List<String>> sendNotifyTo) {
    settings.put("provide-xfr-to", provideXfrTo.orElse(List.of()));
    settings.put("send-notify-to", sendNotifyTo.orElse(List.of()));
  }

  /** The entries of each setting, by the setting's name. */
  public Map<String, List<String>> entries() {
    return Map.copyOf(settings);
  }
}
