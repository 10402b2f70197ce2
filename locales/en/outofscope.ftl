outofscope-title = Other questions
outofscope-answer = Sorry, I can't help with that one. I answer questions for Sofia Municipality: home and neighbourhood, transport and parking, health, kindergartens and schools, and jobs. Pick a topic, or ask me about the city.
