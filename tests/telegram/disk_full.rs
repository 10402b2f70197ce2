//! The database's disk full: the bot's database lives on a small tmpfs that the test fills to
//! the last byte while citizens write and a staff member answers. The bot takes nothing it
//! cannot store (Telegram keeps the updates: their offset is not confirmed), answers nobody
//! from a turn it could not commit, tells the staff member their answer was not taken, keeps
//! running, and once there is room again answers every message once, in order, nothing lost.
//!
//! Mounting a tmpfs needs root, as CI runs; without it the test fails and says so.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use sofia_bot::staff::cases::CaseSettings;
use sofia_devkit::fake::{Citizen, FakeBotApi};
use sofia_devkit::plans::{Act, push_input};

use crate::support::*;

/// A tmpfs of `MB` megabytes mounted on a temporary folder, unmounted when dropped.
struct Tmpfs {
    dir: tempfile::TempDir,
}

const MB: usize = 4;

impl Tmpfs {
    fn mount() -> Tmpfs {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={MB}m"), "tmpfs"])
            .arg(dir.path())
            .status()
            .expect("mount runs");
        assert!(status.success(), "this test mounts a {MB} MB tmpfs and needs root for it (CI runs as root)");
        Tmpfs { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Fills the file system to the last byte; removing the returned file makes room again.
    fn fill(&self) -> PathBuf {
        let path = self.path().join("filler");
        let mut file = std::fs::File::create(&path).expect("the filler file");
        let chunk = vec![0u8; 4096];
        while file.write_all(&chunk).is_ok() {}
        // What is left is less than a chunk: that too.
        while file.write_all(&[0]).is_ok() {}
        path
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        // Lazily: the bot's last connections may still be closing.
        let _ = Command::new("umount").arg("-l").arg(self.dir.path()).status();
    }
}

#[tokio::test]
async fn with_the_disk_full_the_bot_takes_nothing_it_cannot_store_and_resumes_without_loss() {
    let disk = Tmpfs::mount();
    let fake = FakeBotApi::start().await;
    let db = disk.path().join("telegram.db");
    let bot = start(&fake, &db, settings()).await;
    let asks = Citizen::new(4201, Some("bg"));
    let hands_over = Citizen::new(4202, Some("bg"));
    let asked = [
        Act::Write("kude moga da si kupq karta za gradskiya transport".into()),
        Act::Write("how do I pay for parking in the blue zone".into()),
        Act::Write("благодаря".into()),
    ];
    let plan = expect(&asks, &asked).await;
    let handed = expect(&hands_over, &[Act::Write("/human".into())]).await;
    push_input(&fake, &asks, &plan[0].input);
    push_input(&fake, &hands_over, &handed[0].input);
    wait_for_messages(&fake, asks.id, plan[0].replies.len()).await;
    wait_for_messages(&fake, hands_over.id, handed[0].replies.len()).await;

    // The disk fills up. The citizen writes twice; a staff member answers.
    let filler = disk.fill();
    let handed_out = fake.handed_out();
    let first_while_full = fake.push(asks.text(written(&plan[1].input)));
    fake.push(asks.text(written(&plan[2].input)));
    let case = bot.store.chat_cases("telegram", &hands_over.id.to_string()).await.unwrap().remove(0);
    let staff = assistant_on(&bot.store, CaseSettings::default());
    let reply = || sofia_bot::staff::cli::Action::Reply {
        reference: CaseSettings::default().show(case.reference),
        text: "Ще изпратим екип.".into(),
        name: Some("Мария".into()),
    };
    let refused = sofia_bot::staff::cli::run(&staff, reply()).await;
    assert!(refused.is_err(), "an answer that could not be stored was taken: {refused:?}");
    let asked_for = async {
        while fake.handed_out() == handed_out {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    assert!(tokio::time::timeout(PATIENCE, asked_for).await.is_ok(), "the bot stopped asking for updates");
    // Given time to go wrong: no reply, nothing confirmed to Telegram, still running.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(
        fake.messages_to(asks.id).len(),
        plan[0].replies.len(),
        "a reply went out from a turn that was not stored"
    );
    assert_eq!(
        fake.messages_to(hands_over.id).len(),
        handed[0].replies.len(),
        "a staff answer went out that was not stored"
    );
    assert!(fake.confirmed() <= first_while_full, "an update was confirmed to Telegram without being stored");
    assert!(bot.runs(), "the bot gave up with the disk full");

    // Room again: everything written meanwhile is answered, once and in order.
    std::fs::remove_file(filler).unwrap();
    sofia_bot::staff::cli::run(&staff, reply()).await.expect("with room again the answer is taken");
    let wanted: Vec<_> = plan.iter().flat_map(|s| s.replies.iter().map(planned)).collect();
    wait_for_messages(&fake, asks.id, wanted.len()).await;
    wait_for_messages(&fake, hands_over.id, handed[0].replies.len() + 1).await;
    bot.stop().await;
    let sent: Vec<_> = fake.messages_to(asks.id).iter().map(seen).collect();
    assert_eq!(sent, wanted);
    let answers = fake.messages_to(hands_over.id);
    assert!(answers.last().unwrap()["text"].as_str().unwrap().contains("Ще изпратим екип."));

    let store = sofia_bot::store::Store::open(&db, sofia_bot::store::Durability::Full).await.unwrap();
    let lines = store.transcript("telegram", &asks.id.to_string()).await.unwrap();
    assert_eq!(lines.iter().filter(|l| l.incoming).count(), plan.len(), "every update handled once");
    for chat in [asks.id, hands_over.id] {
        let rows = store.outbox_rows(&chat.to_string()).await.unwrap();
        assert!(rows.iter().all(|r| r.sent_ms.is_some() && r.failed_ms.is_none()), "{rows:#?}");
    }
    assert!(store.pending_updates().await.unwrap().is_empty());
    store.close().await;
    assert_telegram_would_accept_everything(&fake);
}

/// The text of a planned message.
fn written(input: &sofia_bot::engine::Input) -> &str {
    match input {
        sofia_bot::engine::Input::Text { text } => text,
        other => panic!("not a text: {other:?}"),
    }
}
