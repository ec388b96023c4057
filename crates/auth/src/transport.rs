//! What the browser talks to the server over, which decides the cookie
//! attributes and whether HSTS is sent.

/// How browsers reach the server. Behind a TLS-terminating reverse proxy
/// this is still [`Transport::Https`]: it is what the browser sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Transport {
    /// HTTPS: `Secure` cookies with the `__Host-` prefix, HSTS.
    #[default]
    Https,
    /// Plain HTTP on localhost, for development only and only when
    /// configured explicitly: cookies without `Secure` (browsers would drop
    /// them) and so without the `__Host-` prefix, which requires it; no HSTS.
    PlainHttpLocalhostDev,
}
