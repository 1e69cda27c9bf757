package dev.cascade.dnssec.pkcs11;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A PKCS#11 URI (RFC 7512) naming a private key: the token by its label ({@code token}, CKA_LABEL of the token,
 * RFC 7512 §2.3) and the key by its CKA_ID ({@code id}). Written as {@code pkcs11:token=<label>;id=<id>;type=private}
 * with every octet of the id percent-encoded (RFC 7512 §2.3: "id" is a byte array, always percent-encoded), which is
 * what {@code p11tool} and {@code pkcs11-tool --id} understand.
 *
 * @param token the token's label
 * @param id the key's CKA_ID
 */
public record Pkcs11Uri(String token, byte[] id) {
  /** The URI scheme (RFC 7512 §3). */
  public static final String SCHEME = "pkcs11:";

  public Pkcs11Uri {
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(id, "id");
    if (token.isEmpty() || id.length == 0) {
      throw new IllegalArgumentException("a PKCS#11 key URI needs a token label and a key id");
    }
    id = id.clone();
  }

  @Override
  public byte[] id() {
    return id.clone();
  }

  /** True if {@code text} is a PKCS#11 URI at all, so a caller can tell it from other key references. */
  public static boolean isPkcs11(String text) {
    return text != null && text.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
  }

  /**
   * Parses a URI with {@code token} and {@code id} path attributes. Other path attributes (RFC 7512 §2.3: library,
   * slot, object, type …) and query attributes are allowed and ignored: the token and the id name the key fully.
   *
   * @throws IllegalArgumentException naming what is wrong: not {@code pkcs11:}, bad percent-encoding, no token or id
   */
  public static Pkcs11Uri parse(String text) {
    if (!isPkcs11(text)) {
      throw new IllegalArgumentException("not a PKCS#11 URI (RFC 7512): " + text);
    }
    String rest = text.substring(SCHEME.length());
    int query = rest.indexOf('?');
    String path = query < 0 ? rest : rest.substring(0, query);
    String token = null;
    byte[] id = null;
    for (String attribute : path.split(";")) {
      int eq = attribute.indexOf('=');
      if (attribute.isEmpty()) {
        continue;
      }
      if (eq < 0) {
        throw new IllegalArgumentException("PKCS#11 URI attribute without a value: " + attribute + " in " + text);
      }
      String name = attribute.substring(0, eq);
      byte[] value = decode(attribute.substring(eq + 1), text);
      if (name.equals("token")) {
        token = new String(value, StandardCharsets.UTF_8);
      } else if (name.equals("id")) {
        id = value;
      }
    }
    if (token == null || id == null) {
      throw new IllegalArgumentException("PKCS#11 URI names no token and key id (token=…;id=…): " + text);
    }
    return new Pkcs11Uri(token, id);
  }

  /** The URI text: token label with the reserved characters percent-encoded, id fully percent-encoded. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(SCHEME).append("token=");
    for (byte b : token.getBytes(StandardCharsets.UTF_8)) {
      // RFC 7512 §2.3 "pk11-pchar": unreserved characters and a few others stay as they are.
      char c = (char) (b & 0xFF);
      if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~:[]@!$'()*+,=&".indexOf(c) >= 0)) {
        out.append(c);
      } else {
        out.append('%').append(HexFormat.of().toHexDigits(b));
      }
    }
    out.append(";id=");
    for (byte b : id) {
      out.append('%').append(HexFormat.of().toHexDigits(b));
    }
    return out.append(";type=private").toString();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Pkcs11Uri u && token.equals(u.token) && Arrays.equals(id, u.id);
  }

  @Override
  public int hashCode() {
    return token.hashCode() * 31 + Arrays.hashCode(id);
  }

  private static byte[] decode(String value, String uri) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '%') {
        if (i + 2 >= value.length()) {
          throw new IllegalArgumentException("truncated percent-encoding in PKCS#11 URI " + uri);
        }
        try {
          out.write(HexFormat.fromHexDigits(value, i + 1, i + 3));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("bad percent-encoding in PKCS#11 URI " + uri);
        }
        i += 2;
      } else {
        out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    return out.toByteArray();
  }
}
