//! Blocking HTTP with a rate limit, bounded retries with exponential
//! backoff, conditional GETs (RFC 9110 section 13) and counters.

use crate::config::{FeedConfig, RetryPolicy};
use crate::error::FetchFailure;
use crate::formats::url::Url;
use std::time::{Duration, Instant};

/// Largest body accepted (a big ROLIE feed is a few MiB).
const MAX_BODY: u64 = 256 * 1024 * 1024;

/// A response worth reading: 200 with its body, or 304.
#[derive(Debug)]
pub(crate) enum Fetched {
    /// 200: the body and the validators to send next time.
    Body {
        body: Vec<u8>,
        validators: Validators,
    },
    /// 304: unchanged since the validators sent.
    NotModified,
}

/// `ETag` and `Last-Modified` of a response, sent back as
/// `If-None-Match` / `If-Modified-Since`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Validators {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
}

/// One feed's HTTP client.
pub(crate) struct Fetcher {
    agent: ureq::Agent,
    min_interval: Option<Duration>,
    last_request: Option<Instant>,
    retry: RetryPolicy,
    allow_http: bool,
    /// Requests sent (each retry counts).
    pub requests: u64,
    /// Body bytes received.
    pub bytes: u64,
}

impl std::fmt::Debug for Fetcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fetcher")
            .field("requests", &self.requests)
            .field("bytes", &self.bytes)
            .finish_non_exhaustive()
    }
}

impl Fetcher {
    /// A client for `config`; `direct` skips any proxy from the environment
    /// (loopback sources).
    pub(crate) fn new(config: &FeedConfig, direct: bool) -> Self {
        let mut builder = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(config.timeout))
            .user_agent(concat!("medvigil-feeds/", env!("CARGO_PKG_VERSION")))
            .max_redirects(5);
        if direct {
            builder = builder.proxy(None);
        }
        let min_interval = config
            .rate_limit
            .filter(|r| r.is_finite() && *r > 0.0)
            .and_then(|r| Duration::try_from_secs_f64(1.0 / r).ok());
        Self {
            agent: builder.build().into(),
            min_interval,
            last_request: None,
            retry: config.retry,
            allow_http: config.allow_http,
            requests: 0,
            bytes: 0,
        }
    }

    /// Whether `url` may be fetched: TLS, or loopback, or `allow_http`.
    pub(crate) fn allowed(&self, url: &Url) -> bool {
        url.scheme() == "https" || self.allow_http || url.is_loopback()
    }

    /// GETs `url`, conditionally when `validators` are given; retries 5xx,
    /// 429 and transport errors per the retry policy.
    pub(crate) fn get(
        &mut self,
        url: &Url,
        validators: Option<&Validators>,
    ) -> Result<Fetched, FetchFailure> {
        let mut attempt = 0;
        loop {
            let result = self.get_once(url, validators);
            let retryable = match &result {
                Err(FetchFailure::Status { status }) => *status >= 500 || *status == 429,
                Err(FetchFailure::Transport { .. }) => true,
                Ok(_) => false,
            };
            if !retryable || attempt >= self.retry.max_retries {
                return result;
            }
            let backoff = self
                .retry
                .initial_backoff
                .saturating_mul(2u32.saturating_pow(attempt));
            std::thread::sleep(backoff);
            attempt += 1;
        }
    }

    fn pace(&mut self) {
        if let (Some(min), Some(last)) = (self.min_interval, self.last_request) {
            let since = last.elapsed();
            if since < min {
                std::thread::sleep(min - since);
            }
        }
        self.last_request = Some(Instant::now());
    }

    fn get_once(
        &mut self,
        url: &Url,
        validators: Option<&Validators>,
    ) -> Result<Fetched, FetchFailure> {
        self.pace();
        self.requests += 1;
        let transport = |e: ureq::Error| FetchFailure::Transport {
            reason: e.to_string(),
        };
        let mut request = self.agent.get(url.to_string());
        if let Some(v) = validators {
            if let Some(etag) = &v.etag {
                request = request.header("If-None-Match", etag);
            }
            if let Some(lm) = &v.last_modified {
                request = request.header("If-Modified-Since", lm);
            }
        }
        let mut response = request.call().map_err(transport)?;
        let status = response.status().as_u16();
        match status {
            200 => {
                let header = |name: &str| {
                    response
                        .headers()
                        .get(name)
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_owned)
                };
                let validators = Validators {
                    etag: header("etag"),
                    last_modified: header("last-modified"),
                };
                let body = response
                    .body_mut()
                    .with_config()
                    .limit(MAX_BODY)
                    .read_to_vec()
                    .map_err(transport)?;
                self.bytes += body.len() as u64;
                Ok(Fetched::Body { body, validators })
            }
            304 if validators.is_some() => Ok(Fetched::NotModified),
            status => Err(FetchFailure::Status { status }),
        }
    }
}
