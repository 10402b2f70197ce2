# About the assistant (dialogs/general.toml)
# Greetings and "what can you do" lead to main:welcome and main:help.
# The privacy wording comes from the project's lead (not from FACTS.md).

general-title = About this assistant

general-about =
    I'm the digital assistant of Sofia Municipality. Here you can read how we look after your data, or tell us what to improve.
    https://www.sofia.bg

general-btn-privacy = Your data and privacy
general-btn-feedback = Send feedback
general-btn-data-request = Ask about my data

## Thanks and goodbye

general-thanks =
    You're welcome! Glad I could help.
    If you have another question, just type it.

general-bye =
    Goodbye, and all the best!
    Write to me any time you have a question for the city.

## Privacy

general-privacy =
    🔒 What we keep and why
    We keep your conversation with the assistant and what you fill in on forms. We use them to answer you and to improve the service.

    Who sees it: Sofia Municipality staff, when your conversation is passed to one of them.
    How long: 90 days for a conversation not passed to staff, and 2 years after closing for a case handled by staff. After that the data is deleted automatically.

    /privacy shows the details, /mydata gives you a file with your data, and /forget erases it.
    https://www.sofia.bg

## Feedback

general-feedback-ask =
    We'd love to hear what you think of the assistant. What works well, and what should we improve?
    Please write it in one message.

general-feedback-retry =
    Could you tell us a little more? Please write it in words, in one message.

general-feedback-thanks =
    Thank you! I've passed your feedback to the Sofia Municipality staff who look after this assistant.
