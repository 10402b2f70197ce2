# Emergency (dialogs/emergency.toml)
# Facts (locales/facts.toml): emergency-phone (ambulance, fire, police; free from any phone),
# call-sofia-phone and call-sofia-web.

emergency-title = Emergency – { $fact-emergency-phone }

emergency-call112 =
    🚨 If a life is in danger, call { $fact-emergency-phone } now.
    It is the number for an ambulance, the fire brigade and the police, and the call is free from any phone.

    I'm an automated assistant, not an emergency service, and I can't send help. Don't wait for an answer here.
    For a city problem that isn't urgent, contact Call Sofia, the city's contact centre, on { $fact-call-sofia-phone }.
    { $fact-call-sofia-web }

emergency-btn-menu = Back to the menu
