# Спешен случай (dialogs/emergency.toml)
# Факти (locales/facts.toml): emergency-phone (линейка, пожарна, полиция; безплатен от всеки
# телефон), call-sofia-phone и call-sofia-web.

emergency-title = Спешен случай – { $fact-emergency-phone }

emergency-call112 =
    🚨 При опасност за живота звъннете веднага на { $fact-emergency-phone }.
    Това е номерът за линейка, пожарна и полиция. Обаждането е безплатно от всеки телефон.

    Аз съм автоматичен помощник, не спешна служба, и не мога да изпратя помощ. Не чакайте отговор тук.
    За проблем в града, който не е спешен, се обадете на Call Sofia: { $fact-call-sofia-phone }.
    { $fact-call-sofia-web }

emergency-btn-menu = Към менюто
