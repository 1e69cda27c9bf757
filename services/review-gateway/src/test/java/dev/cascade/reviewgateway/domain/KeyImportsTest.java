package dev.cascade.reviewgateway.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.keys.KeyGenerator;
import dev.cascade.dnssec.keys.SigningKey;
import dev.cascade.dnssec.keys.SigningRole;
import dev.cascade.dnssec.roll.RollPosition;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

/** Keys taken over in their PKCS#11 token ({@code cascade migrate opendnssec}): a DNSKEY and a URI, no private key. */
class KeyImportsTest {
  private static final Name ZONE = Name.fromConstantString("example.");
  private static final String KSK_URI = "pkcs11:token=OpenDNSSEC;id=%57%8f%17%44;type=private";
  private static final String ZSK_URI = "pkcs11:token=OpenDNSSEC;id=%c8%e4%6f%1a;type=private";
  private static final String NEW_ZSK_URI = "pkcs11:token=OpenDNSSEC;id=%c8%e4%6f%1b;type=private";

  private static Policy policy() throws PolicyException {
    return PolicyParser.parse("default", "default.toml", "version = \"v1\"\n");
  }

  private static KeyImports.Request inToken(String type, SigningKey key, String uri) {
    return inRoll(type, key, uri, null);
  }

  private static KeyImports.Request inRoll(String type, SigningKey key, String uri, RollPosition position) {
    return new KeyImports.Request(type, "OpenDNSSEC key " + key.keyTag(), key.dnskey().toString(), null, null, uri,
        position);
  }

  @Test
  void keysInTheTokenAreSealedWithTheirUriAndNeedNoKek() throws PolicyException {
    SigningKey ksk = KeyGenerator.generate(ZONE, 13, KeyGenerator.FLAGS_SEP, 3600);
    SigningKey zsk = KeyGenerator.generate(ZONE, 13, KeyGenerator.FLAGS_ZSK, 3600);
    List<KeyImports.Sealed> sealed = KeyImports.seal("example.", policy(),
        List.of(inToken("ksk", ksk, KSK_URI), inToken("zsk", zsk, ZSK_URI)), null);
    assertEquals(SigningRole.KSK, sealed.get(0).role());
    assertNull(sealed.get(0).wrappedPrivateKey());
    assertEquals(KSK_URI, sealed.get(0).privateKeyUri());
    assertEquals(ksk.dnskey().toString(), sealed.get(0).dnskey());
    assertEquals(ZSK_URI, sealed.get(1).privateKeyUri());
  }

  @Test
  void theKeyChecksStillApplyAndAUriMustBeOne() throws PolicyException {
    SigningKey zsk = KeyGenerator.generate(ZONE, 13, KeyGenerator.FLAGS_ZSK, 3600);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> KeyImports.seal("example.", policy(), List.of(inToken("ksk", zsk, KSK_URI)), null));
    assertTrue(e.getMessage().contains("must have the SEP flag"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> KeyImports.seal("example.", policy(), List.of(inToken("zsk", zsk, "file:/tmp/key")), null));
    assertTrue(e.getMessage().contains("not a PKCS#11 URI"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> KeyImports.seal("example.", policy(),
        List.of(new KeyImports.Request("zsk", "k", zsk.dnskey().toString(), "k.private", "x", ZSK_URI, null)), null));
    assertTrue(e.getMessage().contains("either privateKey or privateKeyUri"), e.getMessage());
  }

  @Test
  void aZskRollInProgressIsSealedWithEachKeysPositionAndARollNoPhaseHasIsRefused() throws PolicyException {
    SigningKey ksk = KeyGenerator.generate(ZONE, 13, KeyGenerator.FLAGS_SEP, 3600);
    SigningKey oldZsk = KeyGenerator.generate(ZONE, 13, KeyGenerator.FLAGS_ZSK, 3600);
    SigningKey newZsk = KeyGenerator.generate(ZONE, 13, KeyGenerator.FLAGS_ZSK, 3600);
    RollPosition signing = new RollPosition("old", true, false, true, false);
    RollPosition published = new RollPosition("new", true, false, false, false);
    List<KeyImports.Sealed> sealed = KeyImports.seal("example.", policy(), List.of(inToken("ksk", ksk, KSK_URI),
        inRoll("zsk", oldZsk, ZSK_URI, signing), inRoll("zsk", newZsk, NEW_ZSK_URI, published)), null);
    assertNull(sealed.get(0).rollPosition());
    assertEquals(signing, sealed.get(1).rollPosition());
    assertEquals(published, sealed.get(2).rollPosition());

    // The new ZSK signing unpublished: no phase of any ZSK roll does that.
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeyImports.seal("example.",
        policy(), List.of(inToken("ksk", ksk, KSK_URI), inRoll("zsk", oldZsk, ZSK_URI, signing),
            inRoll("zsk", newZsk, NEW_ZSK_URI, new RollPosition("new", false, false, true, false))), null));
    assertTrue(e.getMessage().startsWith("the roll in progress cannot be taken over"), e.getMessage());
  }
}
