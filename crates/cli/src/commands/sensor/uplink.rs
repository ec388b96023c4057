//! Sending one spooled batch to the server, and what its answer means for
//! the spool.

use std::time::Duration;

use medvigil_server::api::discovery::BatchAnswer;

/// The route batches go to, under the server's URL.
const ROUTE: &str = "/api/v1/discovery/batches";
/// Largest answer read (a batch answer is a few hundred bytes).
const MAX_ANSWER: u64 = 1 << 20;

/// What became of one delivery.
#[derive(Debug)]
pub enum Delivery {
    /// The server has the batch (applied now or before): remove it.
    Acknowledged(BatchAnswer),
    /// The server refuses it for good (bad batch, 4xx): set it aside.
    Refused(String),
    /// Try again later (server unreachable, 5xx, 429, 401/403: see `classify`).
    Retry(String),
}

/// A client of one server with one token.
#[derive(Debug)]
pub struct Uplink {
    agent: ureq::Agent,
    url: String,
    authorization: String,
}

impl Uplink {
    /// A client for `server` (`https://medvigil.example:8443`).
    pub fn new(server: &str, token: &str) -> Self {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(30)))
            .user_agent(concat!("medvigil-sensor/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Self {
            agent,
            url: format!("{}{ROUTE}", server.trim_end_matches('/')),
            authorization: format!("Bearer {token}"),
        }
    }

    /// POSTs one batch body.
    pub fn send(&self, body: &[u8]) -> Delivery {
        let response = self
            .agent
            .post(&self.url)
            .header("Authorization", &self.authorization)
            .content_type("application/json")
            .send(body);
        let mut response = match response {
            Ok(r) => r,
            Err(e) => return Delivery::Retry(format!("{}: {e}", self.url)),
        };
        let status = response.status().as_u16();
        let text = response
            .body_mut()
            .with_config()
            .limit(MAX_ANSWER)
            .read_to_string()
            .unwrap_or_default();
        classify(status, &text)
    }
}

/// 200 with a batch answer: acknowledged. 5xx, 408, 429: retry. 401 and
/// 403 (a token expired or revoked): retry too, so that batches wait in the
/// spool until an operator gives the sensor a working token. Other 4xx
/// (malformed or oversize batch): refused, set aside.
fn classify(status: u16, text: &str) -> Delivery {
    match status {
        200 => match serde_json::from_str::<BatchAnswer>(text) {
            Ok(a) => Delivery::Acknowledged(a),
            Err(e) => Delivery::Retry(format!("unreadable answer ({e})")),
        },
        401 | 403 | 408 | 429 | 500..=599 => Delivery::Retry(format!("HTTP {status}: {text}")),
        _ => Delivery::Refused(format!("HTTP {status}: {text}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_decide_the_batch_fate() {
        let ok = r#"{"batch_id":"0193a5f0-8c1e-7b6a-9d2f-3e4c5b6a7d8e","status":"already_applied","created":0,"updated":0,"unchanged":0,"rejected":[],"conversations":0}"#;
        assert!(
            matches!(classify(200, ok), Delivery::Acknowledged(a) if a.status == "already_applied")
        );
        assert!(matches!(classify(200, "<html>"), Delivery::Retry(_)));
        assert!(matches!(classify(503, ""), Delivery::Retry(_)));
        assert!(matches!(classify(401, ""), Delivery::Retry(_)));
        assert!(matches!(classify(400, "bad"), Delivery::Refused(_)));
        assert!(matches!(classify(413, ""), Delivery::Refused(_)));
    }
}
