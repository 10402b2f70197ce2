# Transport and parking (dialogs/mobility.toml).
# Facts: locales/facts.toml, section Mobility. No prices, no hours, no longest stay in a zone (MED).

mobility-title = Transport and parking

mobility-menu =
    🚌 Transport and parking in Sofia.
    What can I help you with?

## Buttons (short)

mobility-btn-tickets = Tickets and travel cards
mobility-btn-lines = Routes and timetables
mobility-btn-parking-pay = Paying for parking
mobility-btn-zones = Blue and green zones
mobility-btn-towed = Clamped or towed car
mobility-btn-report = Report a road problem
mobility-btn-staff = Talk to a person
mobility-btn-main-menu = Menu

## Answers

mobility-tickets =
    Tickets and travel cards for Sofia's public transport (buses, trams, trolleybuses and the metro) are sold by the Urban Mobility Center (Център за градска мобилност, ЦГМ), the city-owned company that also runs paid parking.

    I don't have confirmed prices. For prices, types of cards, where to buy them and paying with a bank card, see the ЦГМ website.
    { $fact-sofiatraffic-web }

mobility-lines =
    For routes and timetables of Sofia's buses, trams, trolleybuses and metro, please check the website of the Urban Mobility Center (Център за градска мобилност, ЦГМ).

    I don't have the timetables myself, so I can't tell you when the next bus or tram comes.
    { $fact-sofiatraffic-web }

mobility-complaint =
    I don't have checked information on why a bus or tram didn't come. For timetables and changes to lines, please check the Urban Mobility Center (ЦГМ) website: { $fact-sofiatraffic-web }

    You can make a complaint to Call Sofia, the city's 24/7 contact centre, on { $fact-call-sofia-phone } or online. I can also pass it to a staff member with the button below.
    { $fact-call-sofia-web }

mobility-parking-pay =
    You can pay for street parking by text message (SMS). Write your car's registration number and send it:
    • to { $fact-parking-blue-sms } for the blue zone;
    • to { $fact-parking-green-sms } for the green zone.

    I don't have confirmed prices or hours for paid parking. Please check them on the Urban Mobility Center (ЦГМ) website.
    { $fact-sofiatraffic-web }

mobility-zones =
    Paid street parking in Sofia has two zones:
    • the blue zone (синя зона): the city centre;
    • the green zone (зелена зона): around the blue one.

    For the longest you may stay in each zone, prices, hours and where the zones end, please check the website of the Urban Mobility Center (ЦГМ), which runs paid parking. I don't have confirmed figures for them.
    { $fact-sofiatraffic-web }

mobility-towed =
    I don't have confirmed information on how to get a wheel clamp (скоба) removed or where a towed car is taken.

    Paid parking in Sofia is run by the Urban Mobility Center (Център за градска мобилност, ЦГМ), so please ask them. You can also ask one of our staff with the button below.
    { $fact-sofiatraffic-web }

## Report a road problem (a form)

mobility-report-intro =
    I'll pass your report to { $team }.
    If anyone is hurt, call { $fact-emergency-phone } now.

mobility-report-ask-category = What is the problem?

mobility-cat-pothole = Pothole
mobility-cat-traffic-light = Traffic light
mobility-cat-pavement = Pavement or sidewalk
mobility-cat-crossing = Pedestrian crossing
mobility-cat-works = Road works
mobility-cat-other = Something else

mobility-report-retry-category = Please choose a button, or name it in a word or two: pothole, traffic light, pavement, pedestrian crossing, road works or something else.

mobility-report-ask-place =
    Where is it? Type the district or neighbourhood, for example Lozenets or Mladost 1.
    You can also send a location pin.

mobility-report-retry-place =
    I couldn't recognise the district. Type a district or neighbourhood, for example Nadezhda or Lyulin 5, or send a location pin (📎, then "Location"). I need the district here, not the street.

mobility-report-ask-description =
    Please describe the problem briefly and say exactly where it is: street, number, crossing.

mobility-report-retry-description = Please write at least a few words: what the problem is and on which street.

mobility-report-ask-photo =
    If you have a photo, send it now. It's optional: you can tap "Skip".

mobility-report-retry-photo = I'm waiting for a photo here. Send one, or tap "Skip".

mobility-report-sent =
    Thank you! I've passed your report to { $team }.
    Problem: { $category }
    Place: { $place }

    Below you'll see your report's reference and when to expect an answer. A staff member will reply here, in this chat.
    If you'd also like it registered officially with the municipality, report it to Call Sofia on { $fact-call-sofia-phone }: they give it a registration number of their own.
    { $fact-call-sofia-web }

mobility-btn-other-ways = Bikes, scooters, taxis
mobility-other-ways =
    I don't have confirmed information on cycle lanes, e-scooters or taxi services in Sofia.

    You can report a problem on the street (scooters blocking the pavement, say) to Call Sofia: { $fact-call-sofia-phone }, day and night, or online. For anything else I can pass your question to a member of staff.
    { $fact-call-sofia-web }
