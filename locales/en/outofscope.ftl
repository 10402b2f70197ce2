outofscope-title = Other questions
outofscope-answer = I help with questions for Sofia Municipality: home and neighbourhood, transport and parking, health, kindergartens and schools, and jobs. I can't help with that one. Pick a topic, or ask me about the city.
