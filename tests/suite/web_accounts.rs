//! `sofia-bot staff-user` as the README writes it: the database named after the action.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::support::{TempDb, assistant, root};

#[tokio::test]
async fn staff_user_add_takes_the_database_after_the_action() {
    let db = TempDb::new();
    let a = assistant(&db).await;
    a.store.flush().await.unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_sofia-bot"))
        .current_dir(root())
        .args(["staff-user", "add", "maria", "--role", "admin", "--db"])
        .arg(db.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sofia-bot runs");
    child.stdin.take().unwrap().write_all("зелена ябълка на покрива\n".as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let user = a.store.staff_user("maria").await.unwrap().expect("the account");
    assert_eq!(user.role, sofia_bot::store::Role::Admin);
}
