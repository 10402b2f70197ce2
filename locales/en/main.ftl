main-title = Start
main-welcome = Hello! I'm the digital assistant of Sofia Municipality (Столична община). I answer questions about life in Sofia and take reports of problems in the city.
main-menu = How can I help? Pick a topic or just type your question.
main-help =
    Write to me in English or Bulgarian (Cyrillic or Latin letters). Ask directly, for example "how do I pay for parking in the blue zone".

    Commands: /menu – topics, /language – language, /human – a member of staff, /cancel – stop filling in a form, /reset – start over.
main-btn-contacts = Contacts and city services
main-btn-topics = Topics
human-title = Staff member
human-handover = I'm passing this conversation to a member of the municipal staff. They will reply here, in this chat. While you wait, you can ask me something else or go back to the menu.
