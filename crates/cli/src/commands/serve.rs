//! `medvigil serve`: the HTTP API, its OpenAPI document and the web UI.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use medvigil_server::{Config, TlsFiles};

use super::Context;
use super::risk::policy;

/// `serve`
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address to listen on. Plain HTTP only on loopback; anything else needs --tls-cert.
    #[arg(long, env = "MEDVIGIL_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// TLS certificate chain (PEM).
    #[arg(long, env = "MEDVIGIL_TLS_CERT", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// TLS private key (PEM).
    #[arg(long, env = "MEDVIGIL_TLS_KEY", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// A reverse proxy in front terminates HTTPS: cookies are marked Secure
    /// and HSTS is sent although this server speaks plain HTTP.
    #[arg(long, env = "MEDVIGIL_BEHIND_HTTPS_PROXY", conflicts_with = "tls_cert")]
    behind_https_proxy: bool,
    /// Priority policy (TOML) for risk and remediation deadlines; default: the built-in policy.
    #[arg(long, env = "MEDVIGIL_POLICY")]
    policy: Option<PathBuf>,
}

/// Runs the server until Ctrl-C or SIGTERM.
pub async fn run(ctx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let store = ctx.store().await?;
    let tls = match (args.tls_cert, args.tls_key) {
        (Some(cert), Some(key)) => Some(TlsFiles { cert, key }),
        _ => None,
    };
    let scheme = if tls.is_some() { "https" } else { "http" };
    let config = Config {
        listen: args.listen,
        tls,
        behind_https_proxy: args.behind_https_proxy,
        policy: policy(args.policy.as_ref())?,
        ..Config::default()
    };
    eprintln!(
        "medvigil: serving {scheme}://{} (API docs at /api/docs); Ctrl-C to stop",
        args.listen
    );
    medvigil_server::serve(store.clone(), config)
        .await
        .context("server failed")?;
    store.close().await;
    Ok(ExitCode::SUCCESS)
}
