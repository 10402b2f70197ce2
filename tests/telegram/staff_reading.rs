//! Reading an update from the staff group (`read_staff`), with updates built by the fake's
//! staff member. These were unit tests of `channels::telegram::staff`; they live here since
//! the fake left the library for the devkit.

use sofia_bot::channels::telegram::staff::{StaffDid, read_staff};
use sofia_devkit::fake::StaffMember;
use teloxide::types::Update;

/// teloxide reads an update from text, as it arrives (`from_value` does not read it).
fn update(json: serde_json::Value) -> Update {
    serde_json::from_str(&json.to_string()).expect("an update")
}

/// A message in topic 100 of `group`, as Telegram sends it (the fake's staff member).
fn in_topic(group: i64, text: &str) -> Update {
    let mut json = StaffMember::new(77, "Мария Петрова", group).in_topic(100, text);
    json["update_id"] = serde_json::json!(1);
    update(json)
}

#[test]
fn a_text_in_a_topic_of_the_staff_group_is_a_staff_reply() {
    let input = read_staff(&in_topic(-100, "Здравейте"), -100).expect("read");
    assert_eq!(input.thread, Some(100));
    assert_eq!(input.who.id, "77");
    assert_eq!(input.who.name, "Мария Петрова");
    assert_eq!(input.did, StaffDid::Text("Здравейте".into()));
}

#[test]
fn close_with_a_note_is_a_command() {
    let input = read_staff(&in_topic(-100, "/close ремонтът е направен"), -100).expect("read");
    assert_eq!(input.did, StaffDid::Command { name: "close".into(), arg: "ремонтът е направен".into() });
}

#[test]
fn another_group_is_not_the_staff_group() {
    assert_eq!(read_staff(&in_topic(-200, "/close"), -100), None);
}
