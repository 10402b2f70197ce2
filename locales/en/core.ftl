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
retry-give-up = This doesn't seem to be working, so I'll ask a member of the municipal staff for help.
retry-choice = Please pick one of the buttons, or type its number.
retry-text = Please describe it in a few words.
retry-number = Please type a number, for example 12.
retry-date = Please type a date, for example 25.12.2026.
retry-phone = Please type a Bulgarian phone number: 10 digits starting with 0, or starting with +359.
retry-district = I didn't recognise that district. Type its name, for example Lyulin, Mladost or Krasno selo.
retry-location = Please send a location: 📎, then "Location".
retry-photo = Please send a photo.
retry-district-or-location = Type the district, for example Lyulin or Mladost, or send a location (📎, then "Location").
slot-photo = photo

# The command menu Telegram shows next to the message field.
cmd-start = Start and main menu
cmd-menu = The topics I can help with
cmd-help = How to write to me
cmd-language = Change the language
cmd-human = Talk to a person
cmd-cancel = Cancel the current request
cmd-reset = Start over
