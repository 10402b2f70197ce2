# Emergency (dialogs/emergency.toml)
# Facts: 112 (ambulance, fire, police; free from any phone) and Call Sofia 0700 17 310,
# https://call.sofia.bg: FACTS.md, "The city", HIGH.

emergency-title = Emergency – 112

emergency-call112 =
    🚨 If a life is in danger, call 112 now.
    It is the number for an ambulance, the fire brigade and the police, and the call is free from any phone.

    I'm an automated assistant, not an emergency service, and I can't send help. Don't wait for an answer here.
    For a city problem that isn't urgent, contact Call Sofia, the city's contact centre, on 0700 17 310.
    https://call.sofia.bg

emergency-btn-menu = Back to the menu
