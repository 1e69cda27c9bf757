package dev.cascade.reviewgateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiTokensTest {

  private static final String ALICE = ApiTokens.sha256Hex("alice-secret");

  @Test
  void aTokenStandsForItsPersonAndRoles() {
    ApiTokens tokens = ApiTokens.parse(List.of("# people", "", "alice viewer,approver " + ALICE.toUpperCase()), "t");
    assertEquals(Optional.of(new ApiTokens.Holder("alice", Set.of("viewer", "approver"))),
        tokens.holder("alice-secret"));
    assertEquals(Optional.empty(), tokens.holder("alice-secret "));
    assertEquals(Optional.empty(), tokens.holder(ALICE), "the hash itself opens nothing");
  }

  /** A refusal names the file and the line number, never the line: it may hold what the caller should not read. */
  @Test
  void aBadLineRefusesTheFileWithoutQuotingIt() {
    for (String bad : List.of("root:$6$secret-hash:19000", "alice viewer", "alice admin " + ALICE,
        "policy viewer " + ALICE, "hook approver " + ALICE)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> ApiTokens.parse(List.of("# ok", bad), "/etc/cascade/api-tokens"));
      assertTrue(e.getMessage().startsWith("/etc/cascade/api-tokens line 2 "), e.getMessage());
      assertFalse(e.getMessage().contains("secret-hash") || e.getMessage().contains(ALICE), e.getMessage());
    }
    IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
        () -> ApiTokens.parse(List.of("alice viewer " + ALICE, "bob viewer " + ALICE), "t"));
    assertEquals("t line 2 repeats the token of an earlier line", twice.getMessage());
  }
}
