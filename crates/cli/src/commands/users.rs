//! `medvigil users …` and `medvigil tokens …`: accounts of the server.

use std::io::IsTerminal;
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use clap::Subcommand;
use medvigil_auth::{PasswordParams, Role};

use super::Context;
use crate::output::table;

/// User subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a user of the tenant. The password comes from MEDVIGIL_PASSWORD
    /// or is asked for on the terminal; the password policy applies.
    Add(AddArgs),
    /// The tenant's users.
    List,
    /// Change a user: role, disabled, lock lifted (the tenant keeps an
    /// active admin).
    Update(UpdateArgs),
}

/// `users update`
#[derive(Debug, clap::Args)]
pub struct UpdateArgs {
    /// Login name.
    username: String,
    /// New role: admin, ciso, network, biomed, psirt, researcher, auditor.
    #[arg(long)]
    role: Option<Role>,
    /// Disable the account (its sessions end, its tokens stop working).
    #[arg(long, conflicts_with = "enable")]
    disable: bool,
    /// Enable a disabled account.
    #[arg(long)]
    enable: bool,
    /// Lift a lock left by failed logins.
    #[arg(long)]
    unlock: bool,
}

/// `users add`
#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// Login name (unique in the installation).
    username: String,
    /// Role: admin, ciso, network, biomed, psirt, researcher, auditor.
    #[arg(long)]
    role: Role,
    /// E-mail address.
    #[arg(long)]
    email: Option<String>,
}

/// Token subcommands.
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Issue an API token for a user; the secret is printed once.
    Create(TokenArgs),
}

/// `tokens create`
#[derive(Debug, clap::Args)]
pub struct TokenArgs {
    /// The user the token acts for.
    #[arg(long)]
    user: String,
    /// An action the token may perform (repeat; default: everything the user's role allows).
    #[arg(long = "scope")]
    scopes: Vec<String>,
    /// Days until the token expires.
    #[arg(long, default_value_t = 90)]
    expires_days: u32,
}

fn actor() -> String {
    format!(
        "cli:{}",
        std::env::var("USER").unwrap_or_else(|_| "unknown".into())
    )
}

fn password() -> anyhow::Result<String> {
    if let Ok(p) = std::env::var("MEDVIGIL_PASSWORD") {
        return Ok(p);
    }
    if !std::io::stdin().is_terminal() {
        bail!("no password: set MEDVIGIL_PASSWORD or run on a terminal");
    }
    let first = rpassword::prompt_password("Password: ").context("cannot read the password")?;
    let again = rpassword::prompt_password("Again: ").context("cannot read the password")?;
    if first != again {
        bail!("the passwords differ");
    }
    Ok(first)
}

/// Runs a users subcommand.
pub async fn run(ctx: &Context, cmd: Command) -> anyhow::Result<ExitCode> {
    let store = ctx.store().await?;
    let tenant = ctx.tenant(&store, true).await?;
    let t = store.tenant(tenant.id);
    match cmd {
        Command::Add(args) => {
            let password = password()?;
            let user = medvigil_server::admin::add_user(
                &t,
                &args.username,
                args.email.as_deref(),
                args.role,
                &password,
                PasswordParams::default(),
                &actor(),
            )
            .await
            .with_context(|| format!("cannot create user '{}'", args.username))?;
            println!(
                "created {} ({}) in {}",
                user.username, user.role, tenant.name
            );
        }
        Command::List => {
            let now = time::OffsetDateTime::now_utc();
            let mut out = table(["user", "role", "e-mail", "created", "state"]);
            for u in t.users().await? {
                let mut state = if u.disabled { "disabled" } else { "active" }.to_owned();
                if let Some(until) = u.locked_until.filter(|_| u.locked_at(now)) {
                    state.push_str(&format!(", locked until {until}"));
                }
                out.add_row(vec![
                    u.username.clone(),
                    u.role.clone(),
                    u.email.clone().unwrap_or_default(),
                    u.created_at.date().to_string(),
                    state,
                ]);
            }
            println!("{out}");
        }
        Command::Update(args) => {
            let disabled = match (args.disable, args.enable) {
                (true, _) => Some(true),
                (_, true) => Some(false),
                _ => None,
            };
            let user = medvigil_server::admin::update_user(
                &t,
                &args.username,
                medvigil_store::UserChange {
                    role: args.role.map(|r| r.as_str().to_owned()),
                    disabled,
                    unlock: args.unlock,
                },
                &actor(),
            )
            .await
            .with_context(|| format!("cannot change user '{}'", args.username))?;
            println!(
                "{} ({}) is {}",
                user.username,
                user.role,
                if user.disabled { "disabled" } else { "active" }
            );
        }
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

/// Runs a tokens subcommand.
pub async fn run_tokens(ctx: &Context, cmd: TokenCommand) -> anyhow::Result<ExitCode> {
    let store = ctx.store().await?;
    let tenant = ctx.tenant(&store, false).await?;
    let t = store.tenant(tenant.id);
    match cmd {
        TokenCommand::Create(args) => {
            let scopes = (!args.scopes.is_empty()).then_some(args.scopes);
            let (secret, record) = medvigil_server::admin::create_token(
                &t,
                &args.user,
                scopes,
                Some(args.expires_days),
                &actor(),
            )
            .await
            .with_context(|| format!("cannot create a token for '{}'", args.user))?;
            eprintln!(
                "token {} for {} (scopes: {}); expires {}; shown once:",
                record.id,
                args.user,
                record.scopes.join(", "),
                record
                    .expires_at
                    .map_or_else(|| "never".into(), |e| e.date().to_string())
            );
            println!("{secret}");
        }
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}
