# Out of scope (dialogs/outofscope.toml): an honest "not here" with the topics, and a plain
# answer about the assistant itself. No facts.

outofscope-title = Other questions
outofscope-answer = Sorry, I can't help with that one. I answer questions for Sofia Municipality and about the city's services: home and neighbourhood, transport and parking, health, kindergartens and schools, and jobs, for example. Pick a topic, or ask me about the city.

outofscope-bot = I'm Sofia Municipality's automated assistant: a program, not a person. I answer questions about the city's services and pass reports and questions on to staff. If you'd like to write to a person, tap "Talk to a person".
