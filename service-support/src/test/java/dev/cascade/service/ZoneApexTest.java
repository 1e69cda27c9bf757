package dev.cascade.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ZoneApexTest {

  @Test
  void everySpellingOfOneZoneIsOneKey() {
    for (String spelling : new String[] {"example.test.", "Example.TEST", " example.test\t", "EXAMPLE.test. "}) {
      assertEquals("example.test.", ZoneApex.canonical(spelling), "'" + spelling + "'");
    }
    assertEquals(".", ZoneApex.canonical("."), "the root");
  }
}
