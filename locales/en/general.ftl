# About the assistant (dialogs/general.toml)
# Greetings and "what can you do" lead to main:welcome and main:help.
# The privacy wording comes from the project's lead (not from FACTS.md).

general-title = About this assistant

general-about =
    I'm the digital assistant of Sofia Municipality. Here you can read how we look after your data, or tell us what to improve.
    { $fact-sofia-web }

general-btn-privacy = Your data and privacy
general-btn-feedback = Send feedback
general-btn-data-request = Ask about my data

## Thanks, ok and goodbye

general-thanks =
    You're welcome! Glad I could help.
    If you have another question, just type it.

general-ok = All right. If you have another question, just type it.

general-bye =
    Goodbye, and all the best!
    Write to me any time you have a question for the city.

## Privacy

general-privacy =
    🔒 What we keep and why
    We keep your conversation with the assistant and what you fill in on forms. We use them to answer you and to improve the assistant: its team reads the questions it did not understand, with personal numbers masked.

    Who sees it: Sofia Municipality staff, when your conversation is passed to one of them, and the assistant's team (only the questions it did not understand).
    How long: for a limited time, after which the data is deleted automatically. /privacy gives the periods.

    /privacy shows the details, /mydata gives you a file with your data, and /forget erases it.
    { $fact-sofia-web }

## Feedback

general-feedback-ask =
    We'd love to hear what you think of the assistant. What works well, and what should we improve?
    Please write it in one message.

general-feedback-retry =
    Could you tell us a little more? Please write it in words, in one message.

general-feedback-thanks =
    Thank you! I've passed your feedback to { $team }.
    If they have a question for you, they'll write to you here, in this chat.
