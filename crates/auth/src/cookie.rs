//! The `Set-Cookie` values of the session cookie (RFC 6265bis: `__Host-`
//! prefix, `SameSite=Strict`).

use crate::session::SessionId;
use crate::transport::Transport;

/// Cookie name over HTTPS: `__Host-` binds it to this host and path `/`
/// and requires `Secure`, so no subdomain or plain-HTTP page can set it.
pub const SECURE_COOKIE_NAME: &str = "__Host-medvigil_session";
/// Cookie name in plain-HTTP localhost development.
pub const DEV_COOKIE_NAME: &str = "medvigil_session";

/// The session cookie's name under `transport`, to find it in requests.
pub fn session_cookie_name(transport: Transport) -> &'static str {
    match transport {
        Transport::Https => SECURE_COOKIE_NAME,
        Transport::PlainHttpLocalhostDev => DEV_COOKIE_NAME,
    }
}

/// The `Set-Cookie` value that gives the browser `id`. No `Max-Age`: the
/// cookie ends with the browser session, the server ends it sooner.
pub fn session_cookie(id: &SessionId, transport: Transport) -> String {
    format!(
        "{}={}; {}",
        session_cookie_name(transport),
        id.encode(),
        attributes(transport)
    )
}

/// The `Set-Cookie` value that removes the session cookie (logout).
pub fn clear_session_cookie(transport: Transport) -> String {
    format!(
        "{}=; Max-Age=0; {}",
        session_cookie_name(transport),
        attributes(transport)
    )
}

fn attributes(transport: Transport) -> &'static str {
    match transport {
        Transport::Https => "Path=/; Secure; HttpOnly; SameSite=Strict",
        Transport::PlainHttpLocalhostDev => "Path=/; HttpOnly; SameSite=Strict",
    }
}
