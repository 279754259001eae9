//! Access tokens (short-lived HS256 JWTs) and opaque random tokens (refresh, reset, invitation,
//! setup), of which only a SHA-256 digest is stored.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::Rng;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::clock::Clock;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Claims {
    /// The user's id.
    pub sub: String,
    pub iat: i64,
    pub exp: i64,
    /// The user's token version when issued: a password change or deactivation bumps it, and
    /// every token issued before stops working at once.
    pub tv: i32,
}

#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    pub ttl_secs: i64,
    /// Issue and expiry times are the app's clock's.
    clock: Clock,
}

/// Seconds past `exp` a token is still taken (clocks of instances differ a little).
const LEEWAY_SECS: i64 = 5;

impl JwtKeys {
    /// # Panics
    /// With an empty secret (the settings ask for 32 characters or generate one).
    pub fn new(secret: &[u8], ttl_secs: i64) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        // Expiry is checked against the app's clock in `verify`, not the system's.
        validation.validate_exp = false;
        validation.set_required_spec_claims(&["exp", "sub"]);
        Self {
            encoding: EncodingKey::from_secret(secret).expect("a JWT secret is not empty"),
            decoding: DecodingKey::from_secret(secret).expect("a JWT secret is not empty"),
            validation,
            ttl_secs,
            clock: Clock::system(),
        }
    }

    /// These keys on another clock (the app state's).
    pub fn with_clock(self, clock: Clock) -> Self {
        Self { clock, ..self }
    }

    pub fn issue(&self, user_id: &str, token_version: i32) -> anyhow::Result<String> {
        let now = self.clock.now_utc().timestamp();
        let claims = Claims { sub: user_id.to_string(), iat: now, exp: now + self.ttl_secs, tv: token_version };
        Ok(jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)?)
    }

    /// The claims of a valid, unexpired token signed with our key.
    pub fn verify(&self, token: &str) -> Option<Claims> {
        let claims = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation).ok()?.claims;
        (claims.exp + LEEWAY_SECS >= self.clock.now_utc().timestamp()).then_some(claims)
    }
}

/// 256 random bits, URL-safe.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What is stored for an opaque token.
pub fn digest(token: &str) -> String {
    sha256_hex(token.as_bytes())
}

/// SHA-256 in lower-case hex (64 characters).
pub fn sha256_hex(data: &[u8]) -> String {
    Sha256::digest(data).iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jwt_round_trip_and_rejection() {
        let keys = JwtKeys::new(b"0123456789abcdef0123456789abcdef", 900);
        let token = keys.issue("user-1", 3).unwrap();
        let claims = keys.verify(&token).unwrap();
        assert_eq!((claims.sub.as_str(), claims.tv, claims.exp - claims.iat), ("user-1", 3, 900));
        let other = JwtKeys::new(b"another secret another secret 12", 900);
        assert!(other.verify(&token).is_none());
        assert!(keys.verify("not.a.jwt").is_none());
        let expired = JwtKeys::new(b"0123456789abcdef0123456789abcdef", -60).issue("u", 1).unwrap();
        assert!(keys.verify(&expired).is_none());
    }

    #[test]
    fn opaque_tokens_are_random_and_digested() {
        let a = random_token();
        assert_ne!(a, random_token());
        assert_eq!(a.len(), 43);
        assert_eq!(digest(&a).len(), 64);
        assert_eq!(digest("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
