package dev.cascade.testinfra;

/** Reads a setting from a system property first (handy in an IDE run configuration), then from the environment. */
final class Settings {

  private Settings() {}

  /** The non-blank value of {@code name}, or {@code null}. */
  static String get(String name) {
    String value = System.getProperty(name);
    if (value == null || value.isBlank()) {
      value = System.getenv(name);
    }
    return value == null || value.isBlank() ? null : value;
  }
}
