package dev.cascade.dnssec.roll;

/** One change a roll's phase makes to a key; applied as far as the key's role allows it ({@link KeyState#with}). */
enum Effect {
  PUBLISH,
  WITHDRAW,
  SIGN_KEYS,
  STOP_SIGNING_KEYS,
  SIGN_ZONE,
  STOP_SIGNING_ZONE,
  ADD_DS,
  REMOVE_DS
}
