# Water, electricity and heating (dialogs/utilities.toml). Facts: locales/facts.toml,
# Utilities. Toplofikatsia's phone is not confirmed: only its site.

utilities-title = Water, electricity and heating

utilities-menu = 💡 Water, electricity and heating are run by companies, not by the municipality. Which one is it about?

## Buttons (short)

utilities-btn-water = Water and sewerage
utilities-btn-electricity = Electricity
utilities-btn-heating = Heating and hot water

## Answers

utilities-water =
    For a water outage, a leak, or an open or blocked manhole, call Sofiyska Voda (Софийска вода) on { $fact-sofiyska-voda-phone }. The line is free and open 24/7.
    Water and sewerage in Sofia are run by this company, not by the municipality.
    { $fact-sofiyska-voda-web }

utilities-electricity =
    For a power cut or damage to the network, call ERM Zapad (ЕРМ Запад) on { $fact-erm-zapad-phone }, 24/7.
    The electricity network in Sofia is run by this company, not by the municipality. Outages are listed on its website:
    { $fact-erm-zapad-web }

utilities-heating =
    District heating and hot water come from Toplofikatsia Sofia (Топлофикация София), not from the municipality. If the heating or hot water is off, or the radiators are cold, contact the company.
    I don't have a confirmed phone number for it. See its website for how to reach it:
    { $fact-toplo-web }
