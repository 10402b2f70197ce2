# The engine's own messages. Ids are fixed (the engine uses them); the wording is yours.

btn-menu = Menu
btn-human = Talk to a person
btn-skip = Skip
btn-continue = Continue
btn-restart = Start over
btn-lang-bg = Български
btn-lang-en = English
lang-choose = Изберете език. / Choose a language.
lang-set = OK, I'll carry on in English.
not-understood = Sorry, I didn't understand that. Try different words, or pick a topic.
not-understood-human = Sorry, I still didn't understand. Pick a topic, or tap "Talk to a person" and I'll pass your question to a member of the municipal staff.
did-you-mean = I'm not quite sure what you mean. Please pick the topic you're asking about.
cancelled = Stopped. Nothing was sent. What else can I help with?
nothing-to-cancel = There is nothing to stop. How can I help?
reset-done = Let's start over.
welcome-back = Welcome back! We were in the middle of a form. Shall we continue where we left off?
session-lost = Sorry, after a system update I couldn't continue our earlier conversation. Let's start over.
unknown-command = I don't know that command. Try /menu or /help.
unsupported-input = I read text, buttons, locations and photos. Please type your question in words.
unexpected-attachment = Thank you! I'm not expecting a location or a photo right now. Type your question or pick a topic.
empty-input = I couldn't find a question in that message. Please type it in words, or press a button.
stale-button = That button is from an older message and no longer works. Here is the menu.
escalated = I have passed your question to a member of the municipal staff.
retry-give-up = This doesn't seem to be working. Pick one of the buttons or try other words. If you prefer, tap "Talk to a person" and I'll pass on what you've told me so far.
retry-choice = Please pick one of the buttons, type its number, or say it in a word or two.
retry-text = Please describe it in a few words.
retry-number = Please type a number, for example 12.
retry-date = Please type a date, for example 25.12.2026.
retry-phone = Please type a Bulgarian phone number: 10 digits starting with 0, or starting with +359.
retry-district = I didn't recognise that district. Type its name, for example Lyulin, Mladost or Krasno selo.
retry-location = Please send a location: 📎, then "Location".
retry-photo = Please send a photo.
retry-district-or-location = Type the district, for example Lyulin or Mladost, or send a location (📎, then "Location").
slot-photo = photo
btn-resume = ↩ Back to the questions
resume-offer = When you're ready, we can go back to the questions where we left off.
also-asked = You also asked about this:
place-far = That place looks like it is outside Sofia. Is it right?
btn-place-yes = Yes, it's there
btn-place-again = I'll send it again

# The command menu Telegram shows next to the message field.
cmd-start = Start and main menu
cmd-menu = The topics I can help with
cmd-help = How to write to me
cmd-language = Change the language
cmd-human = Talk to a person
cmd-cancel = Cancel the current request
cmd-reset = Start over

# Who receives what citizens hand to staff, said in confirmations as { $team }. The operator
# names the real team with SOFIA_TEAM_EN (for example "the staff of Mladost district").
team-default = the Sofia Municipality staff who answer this assistant

## The shell's messages: the words that lead to the menu

# Typed alone, each of these words opens the main menu wherever the citizen is (also while their
# case passes their messages to staff). Separated by commas; the words of both languages count
# in either.
menu-words = menu, main menu, back to the menu, start, back, go back, home
