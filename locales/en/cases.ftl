### Cases handed to municipal staff: the messages to the citizen,
### and the texts in the staff group.

## To the citizen

case-opened = Your case number: { $ref }.
# When staff aim to reply (the case's due time, in working hours): an aim, not a promise.
case-due = Staff aim to reply by { $when }.
case-out-of-hours = It's outside working hours now. Staff are back at work from { $open } and aim to reply by { $when }.
case-when = { $weekday } { $date }, { $time }

weekday-1 = Monday
weekday-2 = Tuesday
weekday-3 = Wednesday
weekday-4 = Thursday
weekday-5 = Friday
weekday-6 = Saturday
weekday-7 = Sunday

case-already-open = You already have an open case, { $ref }. I've added your message to it. Write here and the staff will see everything.
# Said once, after the first message passed on to staff (case-passed-on is shown too).
case-relayed = A member of staff will reply here, in this chat, and sees everything you write here. While you wait, I can answer the questions I know the answer to.
# The acknowledgement that a message was passed on to staff. On Telegram the citizen's message
# gets a ✍ reaction instead; other channels show this text.
case-passed-on = ✍ Passed on to staff ({ $ref }).
# After the assistant answered a question while the case is open and no staff member is writing.
case-still-open = Your case { $ref } stays open: a member of staff will reply here.
case-staff-reply =
    💬 Municipal staff ({ $ref }):

    { $text }
case-staff-attachment = 💬 Municipal staff ({ $ref })
case-closed =
    The staff have closed case { $ref }. Please rate the help from 1 to 5 with the buttons below.
    If something is still not right, write here within { $days ->
        [one] { $days } day
       *[other] { $days } days
    } and the case will be reopened. For anything else, tap "Menu".
case-closed-note = Note from the staff: { $note }

btn-rate-1 = 1 ⭐
btn-rate-2 = 2 ⭐
btn-rate-3 = 3 ⭐
btn-rate-4 = 4 ⭐
btn-rate-5 = 5 ⭐

case-rated = Thank you for your rating: { $rating ->
        [one] { $rating } star
       *[other] { $rating } stars
    } out of 5.
case-rating-late = This case has already been rated, or it can no longer be rated. Thank you all the same!
case-reopened = I've reopened case { $ref }. A member of staff will reply here.
case-followup = Case { $old } was closed some time ago, so I've opened a new case, { $ref }, with your message.

cases-none = You have no cases with the municipal staff yet.
# $items are the cases-item lines, one a line.
cases-list =
    { $count ->
        [one] Your case:
       *[other] Your cases ({ $count }):
    }
    { $items }
cases-item = { $ref }: { $status }, { $date }

case-status-new = received, waiting for a member of staff
case-status-assigned = a member of staff is working on it
case-status-waiting = the staff are waiting for your reply
case-status-resolved = answered and closed (can be reopened)
case-status-closed = closed
case-status-reopened = reopened

cmd-cases = Your cases

## In the staff group

staff-topic-name = { $ref } · { $topic } · { $district }
staff-topic-name-no-district = { $ref } · { $topic }
staff-card =
    📋 { $ref }
    Language: { $lang }
    Topic: { $topic }
    District: { $district }
    Opened: { $opened }
    Due: { $due }
staff-card-slots = Details collected:
staff-card-last = Latest messages:
staff-card-citizen = 👤
staff-card-bot = 🤖
staff-card-help = Write in this topic to reply to the citizen. /close <note> closes the case; /note <text> is an internal note. The buttons take, close and reopen the case.
staff-unknown-district = not given
staff-lang-bg = Bulgarian
staff-lang-en = English

staff-from-citizen = 👤 Citizen ({ $ref }):
staff-answered-by-bot = 🤖 The assistant answered them: { $text }
staff-citizen-sent = The citizen sent something that isn't text: { $what }.

staff-btn-take = Take
staff-btn-close = Close
staff-btn-reopen = Reopen

staff-taken = { $name } took the case.
staff-closed = { $name } closed the case; the citizen has been asked for a rating.
staff-closed-note = Note: { $note }
staff-reopened = { $name } reopened the case.
staff-reopened-by-citizen = The citizen wrote again, so the case has been reopened.
staff-rated = Citizen's rating: { $rating ->
        [one] { $rating } star
       *[other] { $rating } stars
    } out of 5.
staff-overdue = ⏰ The deadline has passed ({ $due }) and the citizen still has no reply.
staff-note-saved = Internal note saved. The citizen does not see it.
staff-case-closed = This case is closed, so messages here do not reach the citizen. To reply, reopen the case first.
staff-not-a-case = This topic is not linked to a case.
staff-reply-from = 💬 { $name } ({ $via }):
staff-undelivered = The reply could not be delivered: the citizen has blocked the bot.
staff-recreated = The topic for { $ref } was deleted, so it has been opened again with the case card.
staff-erased = 🗑 The citizen erased their data: what they wrote here was removed at their request. The case stays, without their words and not linked to them.
staff-already-taken = This case has already been taken by { $name }.
staff-followup = Follows the closed case { $old }.
