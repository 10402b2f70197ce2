//! The staff groups of the fake: supergroups the bot administers, the forum topics it opens
//! there (createForumTopic, editForumTopic, closeForumTopic, reopenForumTopic), getChat and
//! getChatMember, and what tests set up and look at in them. Messages into topics are
//! delivered by `serve`; updates from staff members are built in `citizen`.

use std::collections::HashMap;

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::citizen::{StaffMember, TOPIC_COLOR, bot_user, group_chat};
use super::{BOT_ID, FakeBotApi, FakeState, Inner, Recorded, is_delivery};

/// A supergroup the bot is an administrator in; a forum has topics.
#[derive(Debug, Default)]
pub(super) struct Group {
    pub(super) forum: bool,
    /// Every topic created, in order, deleted ones too.
    topics: Vec<Topic>,
    /// The users seen writing in the group, as User objects.
    pub(super) members: HashMap<i64, Value>,
}

#[derive(Debug)]
struct Topic {
    thread: i64,
    name: String,
    closed: bool,
    deleted: bool,
}

impl Group {
    /// Whether messages can go to this thread: a topic created and not deleted.
    pub(super) fn has_topic(&self, thread: i64) -> bool {
        self.topics.iter().any(|t| t.thread == thread && !t.deleted)
    }
}

/// An error answer: status and Telegram's description.
type Refusal = (StatusCode, String);

fn bad(description: &str) -> Refusal {
    (StatusCode::BAD_REQUEST, format!("Bad Request: {description}"))
}

/// The forum a topic method is about, or Telegram's answer when the chat is not one.
fn forum<'a>(s: &'a mut FakeState, body: &Value) -> Result<&'a mut Group, Refusal> {
    let chat = body["chat_id"].as_i64().unwrap_or_default();
    match s.groups.get(&chat).map(|g| g.forum) {
        Some(true) => Ok(s.groups.get_mut(&chat).expect("the group just found")),
        Some(false) => Err(bad("the chat is not a forum")),
        None if s.known_chats.contains(&chat) => Err(bad("the chat is not a forum")),
        None => Err(bad("chat not found")),
    }
}

pub(super) fn create_topic(inner: &Inner, body: &Value) -> Result<Value, Refusal> {
    let mut s = inner.lock();
    let thread = s.next_thread_id;
    let group = forum(&mut s, body)?;
    let name = body["name"].as_str().unwrap_or_default().to_string();
    group.topics.push(Topic { thread, name: name.clone(), closed: false, deleted: false });
    s.next_thread_id += 1;
    let color = body["icon_color"].as_i64().unwrap_or(TOPIC_COLOR);
    Ok(json!({"message_thread_id": thread, "name": name, "icon_color": color}))
}

/// editForumTopic, closeForumTopic and reopenForumTopic: `change` returns whether it changed
/// anything, since Telegram refuses a change that changes nothing.
pub(super) fn change_topic(inner: &Inner, body: &Value, method: &str) -> Result<Value, Refusal> {
    let mut s = inner.lock();
    let group = forum(&mut s, body)?;
    let thread = body["message_thread_id"].as_i64().unwrap_or_default();
    let Some(topic) = group.topics.iter_mut().find(|t| t.thread == thread && !t.deleted) else {
        return Err(bad("TOPIC_ID_INVALID"));
    };
    let changed = match method {
        "closeForumTopic" => !std::mem::replace(&mut topic.closed, true),
        "reopenForumTopic" => std::mem::replace(&mut topic.closed, false),
        _ => match body["name"].as_str().filter(|n| !n.is_empty()) {
            Some(name) if name != topic.name => {
                topic.name = name.to_string();
                true
            }
            // A new icon is a change this fake does not keep.
            _ => body.get("icon_custom_emoji_id").is_some(),
        },
    };
    if changed { Ok(json!(true)) } else { Err(bad("TOPIC_NOT_MODIFIED")) }
}

/// getChat: a ChatFullInfo with the fields Bot API 10.1 requires and teloxide 0.17 reads.
pub(super) fn get_chat(inner: &Inner, body: &Value) -> Result<Value, Refusal> {
    let chat = body["chat_id"].as_i64().unwrap_or_default();
    let s = inner.lock();
    let mut info = match s.groups.get(&chat) {
        Some(group) => group_chat(chat, group.forum),
        None if s.known_chats.contains(&chat) && chat > 0 => {
            json!({"id": chat, "type": "private", "first_name": format!("Citizen {chat}")})
        }
        None if s.known_chats.contains(&chat) => group_chat(chat, false),
        None => return Err(bad("chat not found")),
    };
    info["accent_color_id"] = json!(0);
    info["max_reaction_count"] = json!(11);
    info["accepted_gift_types"] = json!({
        "unlimited_gifts": false, "limited_gifts": false, "unique_gifts": false,
        "premium_subscription": false, "gifts_from_channels": false,
    });
    Ok(info)
}

/// getChatMember: the bot administers the groups added, with the right to manage topics in a
/// forum; users seen writing in a group are members; anyone else has left.
pub(super) fn get_chat_member(inner: &Inner, body: &Value) -> Result<Value, Refusal> {
    let chat = body["chat_id"].as_i64().unwrap_or_default();
    let user = body["user_id"].as_i64().unwrap_or_default();
    let s = inner.lock();
    let stranger = json!({"id": user, "is_bot": false, "first_name": format!("User {user}")});
    match s.groups.get(&chat) {
        Some(group) if user == BOT_ID => Ok(administrator(group.forum)),
        Some(group) => Ok(match group.members.get(&user) {
            Some(member) => json!({"status": "member", "user": member}),
            None => json!({"status": "left", "user": stranger}),
        }),
        None if !s.known_chats.contains(&chat) => Err(bad("chat not found")),
        None if user == BOT_ID => Ok(json!({"status": "member", "user": bot_user()})),
        None if user == chat => Ok(json!({"status": "member", "user": stranger})),
        None => Ok(json!({"status": "left", "user": stranger})),
    }
}

/// The bot as an administrator: every right the Bot API marks required, and topics.
fn administrator(forum: bool) -> Value {
    json!({
        "status": "administrator", "user": bot_user(),
        "can_be_edited": false, "is_anonymous": false, "can_manage_chat": true,
        "can_delete_messages": true, "can_manage_video_chats": false, "can_restrict_members": false,
        "can_promote_members": false, "can_change_info": false, "can_invite_users": true,
        "can_post_stories": false, "can_edit_stories": false, "can_delete_stories": false,
        "can_pin_messages": true, "can_manage_topics": forum,
    })
}

impl FakeBotApi {
    /// Registers a supergroup the bot is an administrator in (a forum has topics). Messages
    /// to it without `message_thread_id` go to General.
    pub fn add_group(&self, group_id: i64, forum: bool) {
        let mut s = self.inner.lock();
        s.known_chats.insert(group_id);
        s.groups.insert(group_id, Group { forum, ..Group::default() });
    }

    /// A staff member deletes a topic: later messages to it are refused with `message thread
    /// not found`, and changes to it with `TOPIC_ID_INVALID`.
    pub fn delete_topic(&self, group_id: i64, thread: i64) {
        let mut s = self.inner.lock();
        let group = s.groups.get_mut(&group_id).expect("delete_topic in a group added with add_group");
        let topic = group.topics.iter_mut().find(|t| t.thread == thread).expect("delete_topic of a topic created");
        topic.deleted = true;
    }

    /// The topics the bot created in a group and nobody deleted, in order: (thread, name).
    pub fn topics(&self, group_id: i64) -> Vec<(i64, String)> {
        let s = self.inner.lock();
        let topics = s.groups.get(&group_id).map(|g| g.topics.as_slice()).unwrap_or_default();
        topics.iter().filter(|t| !t.deleted).map(|t| (t.thread, t.name.clone())).collect()
    }

    /// The threads of the topics that are closed now (and not deleted), in order.
    pub fn closed_topics(&self, group_id: i64) -> Vec<i64> {
        let s = self.inner.lock();
        let topics = s.groups.get(&group_id).map(|g| g.topics.as_slice()).unwrap_or_default();
        topics.iter().filter(|t| t.closed && !t.deleted).map(|t| t.thread).collect()
    }

    /// What the bot put in a topic (successful sendMessage, sendPhoto, sendDocument,
    /// sendLocation and copyMessage calls with that `message_thread_id`), in order.
    pub fn in_topic(&self, group_id: i64, thread: i64) -> Vec<Recorded> {
        let s = self.inner.lock();
        s.requests.iter().filter(|r| is_in_topic(r, group_id, thread)).cloned().collect()
    }

    /// A staff member presses a button on the bot's message in their group, in a topic or in
    /// General, as an update; returns its update_id and callback query id.
    pub fn press_in_group(&self, staff: &StaffMember, thread: Option<i64>, data: &str) -> (i64, String) {
        let id = {
            let mut s = self.inner.lock();
            s.next_callback += 1;
            format!("cb-{}", s.next_callback)
        };
        (self.push(staff.press(&id, thread, data)), id)
    }
}

pub(super) fn is_in_topic(r: &Recorded, group_id: i64, thread: i64) -> bool {
    is_delivery(r) && r.chat == Some(group_id) && r.body["message_thread_id"].as_i64() == Some(thread)
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use teloxide::RequestError;
    use teloxide::errors::ApiError;
    use teloxide::prelude::*;
    use teloxide::types::{
        ChatFullInfoKind, ChatFullInfoPublicKind, ChatKind, ChatMemberKind, MessageId, ParseMode, PublicChatKind,
        ThreadId, UpdateKind,
    };

    use super::super::check::spec;
    use super::super::{BOT_ID, FakeBotApi, Fault, StaffMember};
    use super::{get_chat, get_chat_member};

    const GROUP: i64 = -100_200_300;

    fn refusal(e: RequestError) -> String {
        match e {
            RequestError::Api(ApiError::Unknown(description)) => description,
            other => panic!("expected a refusal Telegram describes, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn topics_take_messages_until_a_staff_member_deletes_them() {
        let fake = FakeBotApi::start().await;
        fake.add_group(GROUP, true);
        let bot = fake.bot();
        let first = bot.create_forum_topic(ChatId(GROUP), "Case 1").await.unwrap();
        let second = bot.create_forum_topic(ChatId(GROUP), "Case 2").await.unwrap();
        assert_eq!((first.thread_id, second.thread_id), (ThreadId(MessageId(100)), ThreadId(MessageId(101))));
        let sent = bot
            .send_message(ChatId(GROUP), "<b>New</b> case")
            .parse_mode(ParseMode::Html)
            .message_thread_id(first.thread_id)
            .await
            .unwrap();
        assert_eq!(
            (sent.thread_id, sent.is_topic_message, sent.text()),
            (Some(first.thread_id), true, Some("New case"))
        );
        bot.send_message(ChatId(GROUP), "in General").await.unwrap();
        bot.send_location(ChatId(GROUP), 42.69, 23.32).message_thread_id(first.thread_id).await.unwrap();
        let general = bot.send_message(ChatId(GROUP), "x").message_thread_id(ThreadId(MessageId(1))).await;
        assert_eq!(refusal(general.unwrap_err()), "Bad Request: message thread not found");

        fake.delete_topic(GROUP, 100);
        let deleted = bot.send_message(ChatId(GROUP), "x").message_thread_id(first.thread_id).await;
        assert_eq!(refusal(deleted.unwrap_err()), "Bad Request: message thread not found");
        assert_eq!(fake.topics(GROUP), vec![(101, "Case 2".to_string())]);
        let in_first: Vec<String> = fake.in_topic(GROUP, 100).into_iter().map(|r| r.method).collect();
        assert_eq!(in_first, ["sendMessage", "sendLocation"]);
        assert_eq!(fake.deliveries_to(GROUP).len(), 3);
        assert!(fake.in_topic(GROUP, 101).is_empty());
        assert!(fake.violations().is_empty(), "{:?}", fake.violations());
    }

    #[tokio::test]
    async fn a_topic_change_that_changes_nothing_is_refused() {
        let fake = FakeBotApi::start().await;
        fake.add_group(GROUP, true);
        fake.add_group(GROUP - 1, false);
        let bot = fake.bot();
        let not_forum = bot.create_forum_topic(ChatId(GROUP - 1), "Case").await;
        assert_eq!(refusal(not_forum.unwrap_err()), "Bad Request: the chat is not a forum");
        fake.fail_next("createForumTopic", Fault::RetryAfter(1));
        let limited = bot.create_forum_topic(ChatId(GROUP), "Case 1").await;
        assert!(matches!(limited, Err(RequestError::RetryAfter(_))), "{limited:?}");
        let thread = bot.create_forum_topic(ChatId(GROUP), "Case 1").await.unwrap().thread_id;

        bot.close_forum_topic(ChatId(GROUP), thread).await.unwrap();
        assert_eq!(fake.closed_topics(GROUP), [100]);
        let again = bot.close_forum_topic(ChatId(GROUP), thread).await;
        assert_eq!(refusal(again.unwrap_err()), "Bad Request: TOPIC_NOT_MODIFIED");
        bot.reopen_forum_topic(ChatId(GROUP), thread).await.unwrap();
        assert!(fake.closed_topics(GROUP).is_empty());
        bot.edit_forum_topic(ChatId(GROUP), thread).name("Case 1: closed").await.unwrap();
        let same = bot.edit_forum_topic(ChatId(GROUP), thread).name("Case 1: closed").await;
        assert_eq!(refusal(same.unwrap_err()), "Bad Request: TOPIC_NOT_MODIFIED");
        assert_eq!(fake.topics(GROUP), vec![(100, "Case 1: closed".to_string())]);

        fake.delete_topic(GROUP, 100);
        let gone = bot.close_forum_topic(ChatId(GROUP), thread).await;
        assert_eq!(refusal(gone.unwrap_err()), "Bad Request: TOPIC_ID_INVALID");
        let long = bot.create_forum_topic(ChatId(GROUP), "x".repeat(129)).await;
        assert!(long.is_err());
        assert_eq!(fake.violations().len(), 1, "the long name is the only violation: {:?}", fake.violations());
    }

    #[tokio::test]
    async fn the_bot_administers_the_forum_and_staff_are_members() {
        let fake = FakeBotApi::start().await;
        fake.add_group(GROUP, true);
        let bot = fake.bot();
        let chat = bot.get_chat(ChatId(GROUP)).await.unwrap();
        let ChatFullInfoKind::Public(public) = chat.kind else { panic!("a public chat") };
        let ChatFullInfoPublicKind::Supergroup(supergroup) = public.kind else { panic!("a supergroup") };
        assert!(supergroup.is_forum);
        let me = bot.get_chat_member(ChatId(GROUP), UserId(BOT_ID as u64)).await.unwrap();
        let ChatMemberKind::Administrator(rights) = me.kind else { panic!("the bot administers the group") };
        assert!(rights.can_manage_topics);

        let staff = StaffMember::new(77, "Мария", GROUP);
        assert!(bot.get_chat_member(ChatId(GROUP), UserId(77)).await.unwrap().is_left());
        fake.push(staff.in_general("/cases"));
        let member = bot.get_chat_member(ChatId(GROUP), UserId(77)).await.unwrap();
        assert!(member.is_member());
        assert_eq!(member.user.first_name, "Мария");
        let unknown = bot.get_chat(ChatId(-5)).await;
        assert!(matches!(unknown, Err(RequestError::Api(ApiError::ChatNotFound))), "{unknown:?}");
    }

    #[tokio::test]
    async fn the_answers_are_what_the_bot_api_describes() {
        let fake = FakeBotApi::start().await;
        fake.add_group(GROUP, true);
        let body = json!({"chat_id": GROUP, "user_id": BOT_ID});
        let chat = get_chat(&fake.inner, &body).unwrap();
        assert_eq!(spec().check_type("ChatFullInfo", &chat), Vec::<String>::new());
        let member = get_chat_member(&fake.inner, &body).unwrap();
        assert_eq!(spec().check_type("ChatMemberAdministrator", &member), Vec::<String>::new());
        let topic = super::create_topic(&fake.inner, &json!({"chat_id": GROUP, "name": "Case"})).unwrap();
        assert_eq!(spec().check_type("ForumTopic", &topic), Vec::<String>::new());
    }

    #[tokio::test]
    async fn staff_updates_read_as_teloxide_reads_them() {
        let fake = FakeBotApi::start().await;
        fake.add_group(GROUP, true);
        let staff = StaffMember::new(77, "Мария", GROUP);
        for mut update in [
            staff.in_topic(100, "/close@sofia_test_bot done"),
            staff.photo_in_topic(100, "photo-7", Some("the pothole")),
            staff.in_general("hello"),
        ] {
            update["update_id"] = json!(1);
            // From text, as teloxide reads it: its Update wants borrowed keys.
            let update: teloxide::types::Update = serde_json::from_str(&update.to_string()).expect("an update");
            let UpdateKind::Message(message) = update.kind else { panic!("a message") };
            let ChatKind::Public(public) = &message.chat.kind else { panic!("a public chat") };
            assert!(matches!(&public.kind, PublicChatKind::Supergroup(s) if s.is_forum));
            assert_eq!(message.is_topic_message, message.thread_id == Some(ThreadId(MessageId(100))));
            assert_eq!(message.from.as_ref().map(|u| u.id.0), Some(77));
        }
        let press = staff.press("cb-x", Some(100), "case:7:take");
        let press: teloxide::types::Update =
            serde_json::from_str(&json!({"update_id": 1, "callback_query": press["callback_query"]}).to_string())
                .unwrap();
        assert!(
            matches!(press.kind, UpdateKind::CallbackQuery(q) if q.message.as_ref().is_some_and(|m| m.chat().id == ChatId(GROUP)))
        );
        let (update_id, callback) = fake.press_in_group(&staff, Some(100), "case:7:take");
        assert!(update_id >= 1000);
        assert_eq!(fake.unanswered_callbacks(), std::slice::from_ref(&callback));
        fake.bot().answer_callback_query(callback.into()).await.unwrap();
        assert!(fake.unanswered_callbacks().is_empty());
        assert_eq!(fake.requests().last().and_then(|r| r.chat), Some(GROUP));
    }
}
