package dev.cascade.dnssec.keys;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;

/** The checks of an import, on key pairs made by BIND 9.18's dnssec-keygen (fixtures in {@code bind-keys/}). */
class KeyImportTest {
  private static final Path DIR = Path.of("src/test/resources/bind-keys");
  private static final Name EXAMPLE = Name.fromConstantString("example.");
  private static final int ECDSAP256SHA256 = 13;

  private static KeyImport.Imported imported(String base, SigningRole role) throws Exception {
    SigningKey key = BindKeyFile.read(DIR.resolve(base + ".key")).key();
    return new KeyImport.Imported(base + ".key", role, key.dnskey(), key.privateKey());
  }

  private static String refusal(List<KeyImport.Imported> keys, boolean useCsk, int algorithm, Set<Integer> tags) {
    return assertThrows(KeyImport.KeyImportException.class,
        () -> KeyImport.check(EXAMPLE, keys, useCsk, algorithm, tags)).getMessage();
  }

  @Test
  void aKskAndAZskOfThePolicysAlgorithmAreAccepted() throws Exception {
    assertDoesNotThrow(() -> KeyImport.check(EXAMPLE,
        List.of(imported("Kexample.+013+17905", SigningRole.KSK), imported("Kexample.+013+41581", SigningRole.ZSK)),
        false, ECDSAP256SHA256, Set.of(1, 2)));
    assertDoesNotThrow(() -> KeyImport.check(EXAMPLE, List.of(imported("Kexample.+013+17905", SigningRole.CSK)),
        true, ECDSAP256SHA256, Set.of()));
  }

  @Test
  void parsingTheFilesTextGivesWhatReadingTheFilesGives() throws Exception {
    Path pub = DIR.resolve("Kexample.+014+44730.key");
    Path priv = DIR.resolve("Kexample.+014+44730.private");
    BindKeyFile.Loaded parsed = BindKeyFile.parse("a.key", Files.readString(pub), "a.private", Files.readString(priv));
    BindKeyFile.Loaded read = BindKeyFile.read(pub);
    assertEquals(read.key().dnskey(), parsed.key().dnskey());
    assertTrue(BindKeyFile.pairMatches(parsed.key().dnskey(), read.key().privateKey()));
  }

  @Test
  void aPrivateKeyOfAnotherKeyIsRefusedWhenParsed() throws Exception {
    String pub = Files.readString(DIR.resolve("Kexample.+013+17905.key"));
    String priv = Files.readString(DIR.resolve("Kexample.+013+41581.private"));
    KeyFileException e = assertThrows(KeyFileException.class, () -> BindKeyFile.parse("K.key", pub, "K.private", priv));
    assertEquals("K.private: the private key does not belong to the DNSKEY in K.key (key tag 17905)", e.getMessage());
  }

  @Test
  void aPairThatDoesNotMatchIsRefused() throws Exception {
    KeyImport.Imported ksk = imported("Kexample.+013+17905", SigningRole.KSK);
    KeyImport.Imported other = imported("Kexample.+013+41581", SigningRole.ZSK);
    KeyImport.Imported mixed = new KeyImport.Imported(ksk.file(), SigningRole.KSK, ksk.dnskey(), other.privateKey());
    assertEquals("Kexample.+013+17905.key: the private key does not belong to the DNSKEY (key tag 17905)",
        refusal(List.of(mixed), false, ECDSAP256SHA256, Set.of()));
  }

  @Test
  void theSepFlagMustFitTheRole() throws Exception {
    assertEquals("Kexample.+013+41581.key: a KSK must have the SEP flag (flags 257, not 256)",
        refusal(List.of(imported("Kexample.+013+41581", SigningRole.KSK)), false, ECDSAP256SHA256, Set.of()));
    assertEquals("Kexample.+013+17905.key: a ZSK must not have the SEP flag (flags 256, not 257)",
        refusal(List.of(imported("Kexample.+013+17905", SigningRole.ZSK)), false, ECDSAP256SHA256, Set.of()));
    assertEquals("Kexample.+013+41581.key: a CSK must have the SEP flag (flags 257, not 256)",
        refusal(List.of(imported("Kexample.+013+41581", SigningRole.CSK)), true, ECDSAP256SHA256, Set.of()));
  }

  @Test
  void rolesMustFitThePolicysScheme() throws Exception {
    assertEquals("Kexample.+013+17905.key: a CSK cannot be imported into a zone whose policy uses a KSK and a ZSK "
        + "(use-csk = false)",
        refusal(List.of(imported("Kexample.+013+17905", SigningRole.CSK)), false, ECDSAP256SHA256, Set.of()));
    assertEquals("Kexample.+013+17905.key: a KSK cannot be imported into a zone whose policy uses a CSK "
        + "(use-csk = true)",
        refusal(List.of(imported("Kexample.+013+17905", SigningRole.KSK)), true, ECDSAP256SHA256, Set.of()));
    assertEquals("Kexample.+013+48391.key: a second ZSK (the first is Kexample.+013+41581.key); import one key per "
        + "role, and one new key per role of a roll in progress",
        refusal(List.of(imported("Kexample.+013+41581", SigningRole.ZSK),
            imported("Kexample.+013+48391", SigningRole.ZSK)), false, ECDSAP256SHA256, Set.of()));
  }

  @Test
  void aRollInProgressMayBringOneNewKeyPerRole() throws Exception {
    KeyImport.Imported inUse = imported("Kexample.+013+41581", SigningRole.ZSK);
    KeyImport.Imported arriving = imported("Kexample.+013+48391", SigningRole.ZSK);
    KeyImport.check(Name.fromString("example."), List.of(inUse, arriving), false, ECDSAP256SHA256, Set.of(),
        key -> key == arriving);

    KeyImport.KeyImportException twoNew = assertThrows(KeyImport.KeyImportException.class,
        () -> KeyImport.check(Name.fromString("example."), List.of(inUse, arriving), false, ECDSAP256SHA256,
            Set.of(), key -> true));
    assertEquals("Kexample.+013+48391.key: a second new ZSK (the first is Kexample.+013+41581.key); import one key "
        + "per role, and one new key per role of a roll in progress", twoNew.getMessage());
  }

  private static KeyImport.Imported publicKey(String base) throws Exception {
    String file = base + ".key";
    return KeyImport.Imported.publicKey(file, BindKeyFile.parsePublic(file, Files.readString(DIR.resolve(file))));
  }

  @Test
  void aPublicKeyTakesNoRoleBesideTheKeysThatSign() throws Exception {
    KeyImport.Imported other = publicKey("Kexample.+013+48391");
    assertEquals(SigningRole.ZSK, other.role(), "the role its SEP flag says");
    assertTrue(other.publicOnly());
    assertDoesNotThrow(() -> KeyImport.check(EXAMPLE,
        List.of(imported("Kexample.+013+17905", SigningRole.CSK), other), true, ECDSAP256SHA256, Set.of()));
    assertDoesNotThrow(() -> KeyImport.check(EXAMPLE,
        List.of(imported("Kexample.+013+41581", SigningRole.ZSK), other), false, ECDSAP256SHA256, Set.of()));
  }

  @Test
  void aPublicKeyOfAnotherAlgorithmOrATagInUseIsRefused() throws Exception {
    assertEquals("Kexample.+014+44730.key: algorithm ECDSAP384SHA384 differs from the policy's ECDSAP256SHA256; "
        + "use a policy with that algorithm",
        refusal(List.of(publicKey("Kexample.+014+44730")), false, ECDSAP256SHA256, Set.of()));
    assertEquals("Kexample.+013+48391.key: key tag 48391 is already used by a key of example.",
        refusal(List.of(publicKey("Kexample.+013+48391")), false, ECDSAP256SHA256, Set.of(48391)));
  }

  @Test
  void aPublicKeyFileWithoutADnskeyIsRefused() {
    KeyFileException e = assertThrows(KeyFileException.class,
        () -> BindKeyFile.parsePublic("K.key", "; only a comment\n"));
    assertEquals("K.key: no DNSKEY record", e.getMessage());
  }

  @Test
  void theAlgorithmMustBeThePolicys() throws Exception {
    assertEquals("Kexample.+014+44730.key: algorithm ECDSAP384SHA384 differs from the policy's ECDSAP256SHA256; "
        + "use a policy with that algorithm",
        refusal(List.of(imported("Kexample.+014+44730", SigningRole.KSK)), false, ECDSAP256SHA256, Set.of()));
  }

  @Test
  void aKeyTagTheZoneUsesIsRefused() throws Exception {
    assertEquals("Kexample.+013+41581.key: key tag 41581 is already used by a key of example.",
        refusal(List.of(imported("Kexample.+013+41581", SigningRole.ZSK)), false, ECDSAP256SHA256, Set.of(41581)));
  }

  @Test
  void aKeyOfAnotherZoneIsRefused() throws Exception {
    KeyImport.Imported ksk = imported("Kexample.+013+17905", SigningRole.KSK);
    KeyImport.KeyImportException e = assertThrows(KeyImport.KeyImportException.class, () -> KeyImport.check(
        Name.fromConstantString("example.org."), List.of(ksk), false, ECDSAP256SHA256, Set.of()));
    assertEquals("Kexample.+013+17905.key: the DNSKEY is for example., not for example.org.", e.getMessage());
  }

  @Test
  void aRevokedKeyIsRefused() throws Exception {
    KeyImport.Imported ksk = imported("Kexample.+013+17905", SigningRole.KSK);
    DNSKEYRecord k = ksk.dnskey();
    DNSKEYRecord revoked = new DNSKEYRecord(k.getName(), k.getDClass(), k.getTTL(),
        k.getFlags() | DNSKEYRecord.Flags.REVOKE, k.getProtocol(), k.getAlgorithm(), k.getKey());
    assertEquals("Kexample.+013+17905.key: the key is revoked (flags 385, RFC 5011 §2.1)", refusal(
        List.of(new KeyImport.Imported(ksk.file(), SigningRole.KSK, revoked, ksk.privateKey())), false,
        ECDSAP256SHA256, Set.of()));
  }
}
