//! The security headers every response carries (OWASP HTTP Headers Cheat
//! Sheet; CSP Level 3).

use crate::transport::Transport;

/// The Content-Security-Policy: only our own origin, no inline script or
/// style, no framing, forms post only to us, no `<base>`.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; img-src 'self' data:; \
     style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; \
     base-uri 'none'";

/// Browser features the UI never uses, switched off.
pub const PERMISSIONS_POLICY: &str = "accelerometer=(), camera=(), geolocation=(), \
     gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()";

/// HSTS: two years, subdomains included (sent over HTTPS only).
pub const STRICT_TRANSPORT_SECURITY: &str = "max-age=63072000; includeSubDomains";

/// The `(name, value)` headers to send on every response under `transport`.
/// `Strict-Transport-Security` only over HTTPS: browsers ignore it on plain
/// HTTP, and on localhost it would pin every other local service to HTTPS.
pub fn security_headers(transport: Transport) -> Vec<(&'static str, &'static str)> {
    let mut headers = vec![
        ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        ("X-Frame-Options", "DENY"),
        ("Permissions-Policy", PERMISSIONS_POLICY),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ];
    if transport == Transport::Https {
        headers.push(("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY));
    }
    headers
}
