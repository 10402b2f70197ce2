# Local taxes and the waste fee (dialogs/taxes.toml). Facts: locales/facts.toml, Local
# taxes and fees. The waste fee's dates are not confirmed: only the municipality's site.
# No amounts.

taxes-title = Local taxes and the waste fee

taxes-menu = 🧾 Local taxes and the waste fee. What can I help you with?

## Buttons (short)

taxes-btn-dates = Due dates and discount
taxes-btn-pay = How to pay
taxes-btn-owed = How much do I owe?
taxes-btn-waste-fee = Waste fee

## Answers

taxes-dates =
    Property tax (данък сгради) and vehicle tax are paid in two equal instalments: by { $fact-tax-first-instalment } and by { $fact-tax-second-instalment }.
    If you pay the whole year by { $fact-tax-early-payment }, you get { $fact-tax-early-discount } off.
    The waste fee has its own dates.
    Check what you owe and pay online in the local-taxes portal:
    { $fact-local-taxes-web }

taxes-pay =
    You can pay local taxes and the waste fee:
    – online, in the municipality's local-taxes portal, logging in with your ЕГН (personal number) and a PIN (the municipality's ПИК or the revenue agency's) or with an electronic signature;
    – in person, at any office of the Municipal Revenue directorate (дирекция „Общински приходи“), whichever district the property is in.
    { $fact-local-taxes-web }

taxes-owed =
    To see what you owe in local taxes and the waste fee, log in to the municipality's local-taxes portal with your ЕГН (personal number) and a PIN (the municipality's ПИК or the revenue agency's) or with an electronic signature. You can pay there too.
    I can't tell you amounts: they depend on the property or the car, and they change.
    { $fact-local-taxes-web }

taxes-waste-fee =
    The waste fee (такса битови отпадъци, "такса смет") is paid in its own instalments, not on the tax dates. I don't have confirmed dates for it and would rather not mislead you.
    You can pay it like the taxes, at any office of the Municipal Revenue directorate (Общински приходи) or online:
    { $fact-local-taxes-web }
    For its dates, see the municipality's website:
    { $fact-sofia-web }

taxes-income-tax =
    Income tax, the annual tax return and VAT are handled by the National Revenue Agency (НАП, NRA), not the municipality. The municipality collects the local taxes, on property and vehicles, and the waste fee.
    { $fact-nra-web }
