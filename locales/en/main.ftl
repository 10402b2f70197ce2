main-title = Start
main-welcome = Hello! I am the digital assistant of Sofia Municipality. I answer questions about life in Sofia and take reports of problems.
main-menu = How can I help? Pick a topic or just type your question.
main-help =
    Write to me in Bulgarian or English. Ask directly, for example "how do I pay for parking in the blue zone".

    Commands: /menu – topics, /language – language, /human – a member of staff, /cancel – stop filling in a form, /reset – start over.
main-btn-topics = Topics
human-title = Staff member
human-handover = I am passing this conversation to a member of the municipal staff. They will answer here, in this chat. While you wait, you can go back to the menu.
