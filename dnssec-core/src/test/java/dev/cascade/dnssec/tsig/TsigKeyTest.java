package dev.cascade.dnssec.tsig;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.keys.KeyWrap;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

class TsigKeyTest {

  /** 32 bytes of 0x01..0x20 in base64: a secret whose text is easy to look for in messages. */
  static final String SECRET = Base64.getEncoder().encodeToString(bytes(32, 1));

  private static final byte[] KEK = bytes(32, 7);

  static byte[] bytes(int length, int first) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) (first + i);
    }
    return b;
  }

  @Test
  void theCliFormsDefaultToHmacSha256() {
    TsigKey plain = TsigKey.parse("xfr-key:" + SECRET);
    assertEquals(TsigAlgorithm.HMAC_SHA256, plain.algorithm());
    assertEquals(Name.fromConstantString("xfr-key."), plain.name());
    assertEquals("xfr-key", plain.displayName());
    assertArrayEquals(bytes(32, 1), plain.secret());

    TsigKey sha512 = TsigKey.parse("hmac-sha512:Other.Key.:" + SECRET);
    assertEquals(TsigAlgorithm.HMAC_SHA512, sha512.algorithm());
    assertEquals("other.key", sha512.displayName());
    assertEquals(TsigAlgorithm.HMAC_SHA1, TsigKey.of("k", TsigAlgorithm.parse("HMAC-SHA1"), SECRET).algorithm());
    assertEquals(TsigAlgorithm.HMAC_SHA384, TsigAlgorithm.parse("HmacSha384"));
  }

  @Test
  void badInputGetsAClearErrorThatNeverShowsTheSecret() {
    IllegalArgumentException base64 =
        assertThrows(IllegalArgumentException.class, () -> TsigKey.parse("k:not*base64" + SECRET));
    assertEquals("TSIG key k: the secret is not valid base64", base64.getMessage());
    IllegalArgumentException algorithm =
        assertThrows(IllegalArgumentException.class, () -> TsigKey.parse("hmac-md5:k:" + SECRET));
    assertTrue(algorithm.getMessage().startsWith("unknown TSIG algorithm 'hmac-md5'"), algorithm.getMessage());
    assertFalse(algorithm.getMessage().contains(SECRET));
    IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> TsigKey.parse("k:"));
    assertEquals("TSIG key k: the secret is empty", empty.getMessage());
    assertThrows(IllegalArgumentException.class, () -> TsigKey.parse("just-a-name"));
    assertThrows(IllegalArgumentException.class, () -> TsigKey.parse("a..b:" + SECRET));
    assertFalse(TsigKey.parse("k:" + SECRET).toString().contains(SECRET));
  }

  @Test
  void readsTheKeyFilesBindWrites() {
    String file = """
        # written by tsig-keygen
        key "primary-xfr" {
        \talgorithm hmac-sha384; // the algorithm
        \tsecret "%s";
        };
        /* a second key,
           with a comment over lines */
        key second { algorithm "hmac-sha1"; secret "c2VjcmV0Ly9zbGFzaGVz"; };
        """.formatted(SECRET);
    List<TsigKey> keys = TsigKey.parseBindKeyFile(file);
    assertEquals(2, keys.size());
    assertEquals("primary-xfr", keys.get(0).displayName());
    assertEquals(TsigAlgorithm.HMAC_SHA384, keys.get(0).algorithm());
    assertArrayEquals(bytes(32, 1), keys.get(0).secret());
    assertEquals(TsigAlgorithm.HMAC_SHA1, keys.get(1).algorithm());
    // "secret//slashes": the // inside the quoted secret is not a comment
    assertEquals("secret//slashes", new String(keys.get(1).secret(), java.nio.charset.StandardCharsets.US_ASCII));

    assertThrows(IllegalArgumentException.class, () -> TsigKey.parseBindKeyFile("options { };"));
    IllegalArgumentException noSecret = assertThrows(IllegalArgumentException.class,
        () -> TsigKey.parseBindKeyFile("key \"k\" { algorithm hmac-sha256; };"));
    assertEquals("key k in the key file has no secret statement", noSecret.getMessage());
  }

  @Test
  void theWrappedSecretIsBoundToItsKeyNameAndAlgorithm() {
    KeyWrap wrap = new KeyWrap(KEK);
    TsigKey key = TsigKey.parse("xfr:" + SECRET);
    byte[] wrapped = key.wrap(wrap);
    assertFalse(Base64.getEncoder().encodeToString(wrapped).contains(SECRET));
    TsigKey back = TsigKey.unwrap(wrap, "xfr", TsigAlgorithm.HMAC_SHA256, wrapped);
    assertArrayEquals(key.secret(), back.secret());
    assertThrows(IllegalArgumentException.class,
        () -> TsigKey.unwrap(wrap, "other", TsigAlgorithm.HMAC_SHA256, wrapped));
    assertThrows(IllegalArgumentException.class,
        () -> TsigKey.unwrap(wrap, "xfr", TsigAlgorithm.HMAC_SHA512, wrapped));
    assertThrows(IllegalArgumentException.class,
        () -> TsigKey.unwrap(new KeyWrap(bytes(32, 9)), "xfr", TsigAlgorithm.HMAC_SHA256, wrapped));
  }
}
