//! Listening: plain HTTP on loopback (development) or HTTPS (rustls), with
//! graceful shutdown on Ctrl-C or SIGTERM.

use std::net::SocketAddr;
use std::time::Duration;

use axum_server::Handle;
use axum_server::tls_rustls::RustlsConfig;
use medvigil_store::Store;

use crate::{AppState, Config, app};

/// Why the server could not run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServeError {
    /// Plain HTTP was asked for on an address other than loopback.
    #[error(
        "refusing plain HTTP on {0}: session cookies would cross the network unprotected; \
         give --tls-cert and --tls-key, listen on 127.0.0.1 / [::1], or say \
         --behind-https-proxy when a reverse proxy terminates HTTPS"
    )]
    PlainHttpNotLoopback(SocketAddr),
    /// The certificate or key could not be loaded.
    #[error("TLS certificate or key: {0}")]
    Tls(String),
    /// Listening or serving failed.
    #[error("server: {0}")]
    Io(#[from] std::io::Error),
}

/// Serves the application until Ctrl-C or SIGTERM; in-flight requests get
/// ten seconds to finish.
///
/// # Errors
/// [`ServeError`].
pub async fn serve(store: Store, config: Config) -> Result<(), ServeError> {
    let listen = config.listen;
    let tls = config.tls.clone();
    let config_proxy = config.behind_https_proxy;
    if tls.is_none() && !config.behind_https_proxy && !listen.ip().is_loopback() {
        return Err(ServeError::PlainHttpNotLoopback(listen));
    }
    let rustls = match &tls {
        Some(files) => {
            // One process-wide provider: ring, as the feeds already use.
            let _ = rustls::crypto::ring::default_provider().install_default();
            Some(
                RustlsConfig::from_pem_file(&files.cert, &files.key)
                    .await
                    .map_err(|e| ServeError::Tls(e.to_string()))?,
            )
        }
        None => None,
    };
    let state = AppState::new(store, config);
    let recorder = tokio::spawn(record_history(state.clone()));
    let app = app(state).into_make_service_with_connect_info::<SocketAddr>();
    let handle = Handle::new();
    tokio::spawn(shutdown_on_signal(handle.clone()));
    match rustls {
        Some(cfg) => {
            tracing::info!(%listen, "serving HTTPS");
            axum_server::bind_rustls(listen, cfg)
                .handle(handle)
                .serve(app)
                .await?;
        }
        None => {
            tracing::info!(%listen, proxy = config_proxy, "serving plain HTTP");
            axum_server::bind(listen).handle(handle).serve(app).await?;
        }
    }
    recorder.abort();
    Ok(())
}

/// Records every hospital group's risk picture of the day a minute after
/// the start, then every hour (the day's row is replaced), until the server
/// stops: the CISO's trend over time.
async fn record_history(state: AppState) {
    let start = tokio::time::Instant::now() + Duration::from_secs(60);
    let mut tick = tokio::time::interval_at(start, Duration::from_secs(3600));
    loop {
        tick.tick().await;
        let today = time::OffsetDateTime::now_utc().date();
        let tenants = match state.store().tenants().await {
            Ok(t) => t,
            Err(e) => {
                tracing::warn!(error = %e, "risk history: cannot list tenants");
                continue;
            }
        };
        for t in tenants
            .iter()
            .filter(|t| t.kind == medvigil_model::TenantKind::HospitalGroup)
        {
            let store = state.store().tenant(t.id);
            if let Err(e) =
                medvigil_intel::history::record_day(&store, &state.config().policy, today).await
            {
                tracing::warn!(tenant = %t.name, error = %e, "risk history not recorded");
            }
        }
    }
}

async fn shutdown_on_signal(handle: Handle<SocketAddr>) {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down");
    handle.graceful_shutdown(Some(Duration::from_secs(10)));
}
