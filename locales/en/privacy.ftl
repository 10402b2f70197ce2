### Personal data: the notice on what we keep, the /privacy, /mydata and /forget commands,
### and the labels in the data file the citizen receives.

## Privacy notice

# $conversations_days and $cases_years are numbers; $contact is text (when no contact is
# configured, it is the text of privacy-contact-staff).
privacy-notice =
    🔒 What we keep: your messages to the assistant and its replies, your cases passed to staff, and, for a few days, technical records of Telegram messages.
    Why: to answer you, to let staff handle your cases, and to improve the assistant.
    How long: a conversation with no case, { $conversations_days ->
        [one] { $conversations_days } day
       *[other] { $conversations_days } days
    }; a case, { $cases_years ->
        [one] { $cases_years } year
       *[other] { $cases_years } years
    } after it is closed.
    Who sees it: the municipal staff handling your cases. The assistant's team sees the questions it did not understand, with phone and personal numbers masked.
    /mydata sends you a file with your data; /forget erases it. For anything else, write to { $contact }.
    Copies of this chat inside Telegram are yours to delete in the app.
privacy-contact-staff = a member of municipal staff: tap "Talk to a person" below

## /mydata

mydata-ready = Here is a file with everything the assistant keeps about you: your conversations and your cases.
mydata-empty = We don't keep anything about you: you have no saved conversations or cases.
mydata-console = Your data file has been written to { $path }.

## /forget

forget-confirm =
    Erase your data?
    We'll erase your conversations with the assistant, anything you were in the middle of filling in, and the personal details you gave us. Messages about you not yet sent to staff won't be sent, and the ones sent will be deleted from their group (those older than 48 hours, which Telegram doesn't let us delete, will be replaced with a note).
    Cases the staff are required to keep will stay, but without your words and no longer linked to your account: only the reference, topic, district, dates, the staff member who handled them and your rating stay. What staff wrote themselves in their group stays there.
    This can't be undone.
btn-forget-yes = Yes, erase
btn-forget-no = No, cancel
# Typed instead of the buttons (besides their labels and numbers): words separated by commas.
# The words of both languages count in either.
forget-yes-words = yes, y, yes erase, erase
forget-no-words = no, n, cancel, don't erase
# $cases is a number: how many cases are kept, no longer linked to the citizen. When it is 0,
# nothing is said about cases. $group is yes when there is a staff group and cases in it.
forget-done =
    Done: your conversations and details have been erased.{ $cases ->
        [0] {""}
        [one] {" "}{ $cases } case is kept, but without your words and not linked to you (reference, topic, district, dates, staff member, rating), because the municipality must keep a record of its work.
       *[other] {" "}{ $cases } cases are kept, but without your words and not linked to you (reference, topic, district, dates, staff member, rating), because the municipality must keep a record of its work.
    }{ $group ->
        [yes] {" "}The assistant's posts with your words were deleted from the staff group or, where Telegram doesn't allow it, replaced with a note; what staff wrote themselves there stays.
       *[no] {""}
    }
    Backups of the database are deleted after the period the municipality has set for them.
    Copies of this chat inside Telegram itself are yours to delete in the app. We can't delete them for you.
forget-cancelled = OK, nothing has been erased.

## The Telegram command menu

cmd-privacy = Your data and privacy
cmd-mydata = Download your data
cmd-forget = Erase your data

## The data file (/mydata)

mydata-title = Your data kept by the assistant
mydata-conversation = Conversations
mydata-cases = Cases
mydata-you = You
mydata-assistant = Assistant
mydata-staff = Staff
