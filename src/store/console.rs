//! The staff console's rows: accounts, browser sessions, canned replies, the console's
//! secret. They change rarely and never with a citizen's turn, so they are written straight
//! through the pool (one statement each, SQLite's busy timeout covering the writer), not
//! through the writer task. The queue's and the dashboard's reads are in `queue`.

mod queue;

use sqlx::Row;
use sqlx::sqlite::SqliteRow;

pub use self::queue::{DayCount, Figures, QueueFilter};
use super::{Store, StoreError};

/// What a staff member may do in the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// Handles cases.
    Agent,
    /// Also assigns cases to colleagues and edits canned replies.
    Supervisor,
    /// Also reads the audit log.
    Admin,
}

impl Role {
    pub fn code(self) -> &'static str {
        match self {
            Role::Agent => "agent",
            Role::Supervisor => "supervisor",
            Role::Admin => "admin",
        }
    }

    pub fn parse(code: &str) -> Option<Role> {
        [Role::Agent, Role::Supervisor, Role::Admin].into_iter().find(|r| r.code() == code)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffUser {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub hash: String,
    pub disabled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebSession {
    pub id: String,
    pub user: StaffUser,
    pub csrf: String,
    pub created_ms: i64,
    pub seen_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Canned {
    pub id: i64,
    pub lang: String,
    pub title: String,
    pub body: String,
}

fn user_of(r: &SqliteRow, at: usize) -> StaffUser {
    StaffUser {
        id: r.get(at),
        name: r.get(at + 1),
        role: Role::parse(&r.get::<String, _>(at + 2)).unwrap_or(Role::Agent),
        hash: r.get(at + 3),
        disabled: r.get::<i64, _>(at + 4) != 0,
    }
}

impl Store {
    pub async fn add_staff_user(&self, name: &str, role: Role, hash: &str, now_ms: i64) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO staff_users (name, role, hash, created_ms) VALUES (?, ?, ?, ?)")
            .bind(name)
            .bind(role.code())
            .bind(hash)
            .bind(now_ms)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn staff_user(&self, name: &str) -> Result<Option<StaffUser>, StoreError> {
        let row = sqlx::query("SELECT id, name, role, hash, disabled FROM staff_users WHERE name = ?")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| user_of(&r, 0)))
    }

    pub async fn staff_users(&self) -> Result<Vec<StaffUser>, StoreError> {
        let rows = sqlx::query("SELECT id, name, role, hash, disabled FROM staff_users ORDER BY name")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(|r| user_of(r, 0)).collect())
    }

    /// Disables an account (or sets a new password) and signs it out everywhere.
    pub async fn update_staff_user(
        &self,
        name: &str,
        disabled: Option<bool>,
        hash: Option<&str>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE staff_users SET disabled = COALESCE(?, disabled), hash = COALESCE(?, hash) WHERE name = ?",
        )
        .bind(disabled.map(i64::from))
        .bind(hash)
        .bind(name)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        sqlx::query("DELETE FROM web_sessions WHERE user_id = (SELECT id FROM staff_users WHERE name = ?)")
            .bind(name)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(done > 0)
    }

    pub async fn add_web_session(&self, id: &str, user: i64, csrf: &str, now_ms: i64) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO web_sessions (id, user_id, csrf, created_ms, seen_ms) VALUES (?, ?, ?, ?, ?)")
            .bind(id)
            .bind(user)
            .bind(csrf)
            .bind(now_ms)
            .bind(now_ms)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn web_session(&self, id: &str) -> Result<Option<WebSession>, StoreError> {
        let row = sqlx::query(
            "SELECT s.id, s.csrf, s.created_ms, s.seen_ms, u.id, u.name, u.role, u.hash, u.disabled
             FROM web_sessions s JOIN staff_users u ON u.id = s.user_id WHERE s.id = ?",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| WebSession {
            id: r.get(0),
            csrf: r.get(1),
            created_ms: r.get(2),
            seen_ms: r.get(3),
            user: user_of(&r, 4),
        }))
    }

    pub async fn touch_web_session(&self, id: &str, now_ms: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE web_sessions SET seen_ms = ? WHERE id = ?")
            .bind(now_ms)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn end_web_session(&self, id: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM web_sessions WHERE id = ?").bind(id).execute(&self.pool).await?;
        Ok(())
    }

    pub async fn canned_replies(&self) -> Result<Vec<Canned>, StoreError> {
        let rows = sqlx::query("SELECT id, lang, title, body FROM canned_replies ORDER BY lang, title")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(|r| Canned { id: r.get(0), lang: r.get(1), title: r.get(2), body: r.get(3) }).collect())
    }

    pub async fn save_canned(&self, lang: &str, title: &str, body: &str, now_ms: i64) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO canned_replies (lang, title, body, updated_ms) VALUES (?, ?, ?, ?)")
            .bind(lang)
            .bind(title)
            .bind(body)
            .bind(now_ms)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Deletes a canned reply; false when there was none with that id.
    pub async fn delete_canned(&self, id: i64) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM canned_replies WHERE id = ?").bind(id).execute(&self.pool).await?;
        Ok(done.rows_affected() > 0)
    }

    /// The console's secret: `fresh` if none was stored yet (the first start), else the one
    /// stored, so that every console on this database, and every restart, derives the same
    /// tokens.
    pub async fn console_secret(&self, fresh: &str, now_ms: i64) -> Result<String, StoreError> {
        sqlx::query("INSERT INTO console_secret (id, secret, created_ms) VALUES (1, ?, ?) ON CONFLICT (id) DO NOTHING")
            .bind(fresh)
            .bind(now_ms)
            .execute(&self.pool)
            .await?;
        Ok(sqlx::query_scalar("SELECT secret FROM console_secret WHERE id = 1").fetch_one(&self.pool).await?)
    }

    /// Staff actions on cases, newest first: for the audit page.
    pub async fn staff_actions(&self, limit: i64) -> Result<Vec<crate::staff::cases::Event>, StoreError> {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT case_id FROM case_events WHERE actor = 'staff' GROUP BY case_id ORDER BY MAX(id) DESC LIMIT ?",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for id in ids {
            let events = self.case_events(crate::staff::cases::CaseRef::from_id(id)).await?;
            out.extend(events.into_iter().filter(|e| matches!(e.actor, crate::staff::cases::Actor::Staff(_))));
        }
        out.sort_by_key(|e| std::cmp::Reverse(e.at_ms));
        Ok(out)
    }
}
