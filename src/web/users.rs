//! `sofia-bot staff-user ...`: the console's accounts.

use std::process::ExitCode;

use anyhow::{Context, bail};

use super::auth;
use crate::store::{Role, Store};

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Action {
    Add { name: String, role: String },
    Disable { name: String },
    ResetPassword { name: String },
}

/// Runs an account command; `password` for the ones that set one.
pub(crate) async fn run(store: &Store, action: Action, password: Option<String>) -> anyhow::Result<ExitCode> {
    let checked = |name: &str| -> anyhow::Result<String> {
        let password = password.clone().context("no password given")?;
        if let Some(why) = auth::weak_password(&password, name) {
            bail!("{why}");
        }
        Ok(password)
    };
    match action {
        Action::Add { name, role } => {
            let role = Role::parse(&role).context("the role must be agent, supervisor or admin")?;
            let name = name.trim().to_string();
            if name.is_empty() || name.chars().count() > 64 || name.chars().any(char::is_control) {
                bail!("an account name is 1-64 characters");
            }
            if store.staff_user(&name).await?.is_some() {
                bail!("{name} already has an account");
            }
            let password = checked(&name)?;
            let hash = tokio::task::spawn_blocking(move || auth::hash(&password)).await?.map_err(anyhow::Error::msg)?;
            store.add_staff_user(&name, role, &hash, chrono::Utc::now().timestamp_millis()).await?;
            println!("{name}: {} account added", role.code());
        }
        Action::Disable { name } => {
            if !store.update_staff_user(&name, Some(true), None).await? {
                bail!("there is no account {name}");
            }
            println!("{name}: disabled, signed out everywhere");
        }
        Action::ResetPassword { name } => {
            let password = checked(&name)?;
            let hash = tokio::task::spawn_blocking(move || auth::hash(&password)).await?.map_err(anyhow::Error::msg)?;
            if !store.update_staff_user(&name, None, Some(&hash)).await? {
                bail!("there is no account {name}");
            }
            println!("{name}: new password set, signed out everywhere");
        }
    }
    Ok(ExitCode::SUCCESS)
}
