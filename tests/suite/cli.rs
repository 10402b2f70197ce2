//! The binary as a user runs it: `chat --json` through a pipe, and `check`.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::support::{TempDb, root};

fn chat(db: &TempDb, user: &str, input: &str) -> Vec<serde_json::Value> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sofia-bot"))
        .current_dir(root())
        .args(["chat", "--json", "--user", user, "--db"])
        .arg(db.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("sofia-bot runs");
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "sofia-bot chat failed");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect()
}

#[test]
fn a_latin_typed_question_reaches_mobility_in_bulgarian() {
    let db = TempDb::new();
    let out = chat(&db, "1", "здравей\nkude moga da si kupq karta za gradskiya transport\n");
    let last = out.last().unwrap();
    assert_eq!(last["lang"], "bg");
    assert_eq!(last["flow"], "mobility");
    assert!(last["text"].as_str().unwrap().contains("sofiatraffic.bg"));
    assert!(last["buttons"].as_array().unwrap().iter().any(|b| b == "Меню"));
}

#[test]
fn a_form_goes_on_from_where_it_was_in_a_second_run() {
    let db = TempDb::new();
    let first = chat(&db, "77", "/start housing\nискам да подам сигнал за проблем в квартала\n");
    let waiting = first.last().unwrap();
    let second = chat(&db, "77", "1\n");
    let next = second.last().unwrap();
    assert_eq!(next["flow"], waiting["flow"]);
    assert_ne!(next["step"], waiting["step"], "the answer should move the form on");
}

#[test]
fn in_the_console_a_typed_number_or_label_confirms_forget() {
    for (user, typed) in [("41", "1"), ("42", "Да, изтрийте")] {
        let db = TempDb::new();
        let out = chat(&db, user, &format!("здравей\n/forget\n{typed}\n"));
        let done = out.last().unwrap();
        assert_eq!(done["flow"], "privacy", "{typed}: {done}");
        assert!(done["text"].as_str().unwrap().starts_with("Готово"), "{typed}: {done}");
    }
}

#[test]
fn in_the_console_a_message_passed_on_to_staff_is_acknowledged() {
    let db = TempDb::new();
    let out = chat(&db, "43", "/human\nВход Б, етаж 4\nот три дни е така\n");
    let acks: Vec<&serde_json::Value> = out.iter().filter(|m| m["ack"] == true).collect();
    assert_eq!(acks.len(), 2, "{out:#?}");
    assert!(acks.iter().all(|m| m["text"].as_str().unwrap().contains("SOF-")));
}

#[test]
fn check_passes_on_the_shipped_content() {
    let out = Command::new(env!("CARGO_BIN_EXE_sofia-bot")).current_dir(root()).arg("check").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn an_escalation_from_the_console_becomes_a_case_staff_can_answer_and_close() {
    let db = TempDb::new();
    chat(
        &db,
        "31",
        "/start housing\nискам да подам сигнал за боклук\nЛюлин\nКонтейнерите не са извозвани от седмица\n@photo\n",
    );
    let out = Command::new(env!("CARGO_BIN_EXE_sofia-bot"))
        .current_dir(root())
        .args(["cases", "--db"])
        .arg(db.path())
        .arg("list")
        .output()
        .unwrap();
    assert!(out.status.success());
    let list = String::from_utf8(out.stdout).unwrap();
    let reference = list.split_whitespace().next().unwrap().to_string();
    assert!(reference.starts_with("SOF-") && list.contains("housing"), "{list}");
    let cases = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_sofia-bot"))
            .current_dir(root())
            .args(["cases", "--db"])
            .arg(db.path())
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(cases(&["reply", &reference, "Ще изпратим екип.", "--as", "Мария"]).contains("waiting"));
    assert!(cases(&["close", &reference, "Извозено.", "--as", "Мария"]).contains("resolved"));
    let shown = cases(&["show", &reference]);
    assert!(shown.contains("chat: console:31"), "{shown}");
    assert!(shown.contains("category: waste") && shown.contains("place: lyulin"), "{shown}");
    for event in ["opened by bot", "taken by staff Мария", "reply by staff Мария", "closed by staff Мария"]
    {
        assert!(shown.contains(event), "{event}: {shown}");
    }
    assert!(shown.contains("Ще изпратим екип."), "{shown}");
    // The citizen at the console sees the answer and the close, and rates.
    let after = chat(&db, "31", "4\n");
    assert!(after.iter().any(|m| m["text"].as_str().is_some_and(|t| t.contains('4'))), "{after:?}");
    assert!(cases(&["show", &reference]).contains("rating: 4/5"));
}

fn run(db: &TempDb, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_sofia-bot"))
        .current_dir(root())
        .args(&args[..1])
        .arg("--db")
        .arg(db.path())
        .args(&args[1..])
        .output()
        .unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_not_understood_list_masks_personal_numbers() {
    let db = TempDb::new();
    chat(&db, "41", "абвгд 7501020018 жжж\nабвгд 7501020018 жжж\n");
    let missed = run(&db, &["missed"]);
    assert!(missed.contains("[EGN]") && !missed.contains("7501020018"), "{missed}");
    assert!(missed.trim_start().starts_with('2'), "counted twice: {missed}");
}

#[test]
fn staff_find_export_and_erase_a_citizens_data_and_each_is_audited() {
    let db = TempDb::new();
    chat(&db, "42", "Казвам се Пенка и искам да говоря с човек\n");
    assert!(run(&db, &["data", "find", "console:42"]).contains("console:42: 2 messages"));
    let out = db.dir.path().join("export");
    let files = run(&db, &["data", "export", "console:42", "--out", out.to_str().unwrap(), "--as", "dpo"]);
    assert!(files.contains("my-data.json"), "{files}");
    let json = std::fs::read_to_string(out.join("my-data.json")).unwrap();
    assert!(json.contains("Казвам се Пенка"));
    assert!(run(&db, &["data", "erase", "console:42", "--as", "dpo"]).contains("messages erased"));
    assert!(run(&db, &["data", "find", "console:42"]).contains("console:42: 0 messages"));
    let audit = run(&db, &["data", "audit"]);
    assert!(audit.contains("cli:dpo export console:42") && audit.contains("cli:dpo erase console:42"), "{audit}");
    assert!(!audit.contains("Пенка"), "{audit}");
    // Nothing old yet: the dry run and the purge agree on nothing to remove.
    assert!(run(&db, &["purge", "--dry-run"]).starts_with("would remove 0 rows"));
    assert!(run(&db, &["purge"]).starts_with("removed 0 rows"));
}

#[test]
fn the_bot_refuses_to_start_with_a_calendar_that_does_not_read() {
    let content = tempfile::tempdir().unwrap();
    crate::lint::copy_dir(&root().join("locales"), content.path());
    let calendar = content.path().join(sofia_bot::calendar::CALENDAR_FILE);
    let text = std::fs::read_to_string(&calendar).unwrap();
    std::fs::write(&calendar, text.replacen("easter = \"orthodox\"", "easter = \"julian\"", 1)).unwrap();
    let db = TempDb::new();
    let out = Command::new(env!("CARGO_BIN_EXE_sofia-bot"))
        .current_dir(root())
        .arg("--locales")
        .arg(content.path())
        .args(["chat", "--json", "--db"])
        .arg(db.path())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "it started: {stderr}");
    let line = text.lines().position(|l| l.starts_with("easter =")).unwrap() + 1;
    assert!(stderr.contains(&format!("calendar.toml:{line}: easter \"julian\" is not")), "{stderr}");
}

#[test]
fn a_setting_comes_from_its_variable_and_its_flag_wins() {
    let reference = |flag: Option<&str>| {
        let db = TempDb::new();
        let mut command = Command::new(env!("CARGO_BIN_EXE_sofia-bot"));
        command.current_dir(root()).env("SOFIA_CASE_PREFIX", "VAR").args(["chat", "--json", "--db"]).arg(db.path());
        if let Some(prefix) = flag {
            command.args(["--case-prefix", prefix]);
        }
        let mut child = command.stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().expect("sofia-bot runs");
        child.stdin.take().unwrap().write_all(b"/human\n").unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(reference(None).contains("VAR-20"), "the variable names the prefix");
    let flagged = reference(Some("FLAG"));
    assert!(flagged.contains("FLAG-20") && !flagged.contains("VAR-20"), "the flag wins: {flagged}");
}
