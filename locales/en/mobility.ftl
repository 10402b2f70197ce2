# Transport and parking (dialogs/mobility.toml).
# Facts: ../../../shared/content/FACTS.md, section "Mobility". No prices, no hours.

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
    Tickets and travel cards for Sofia's public transport are sold by the Urban Mobility Center (Център за градска мобилност, ЦГМ), the city-owned company that also runs paid parking.

    For prices, types of cards, where to buy them and paying with a bank card, see the ЦГМ website.
    https://www.sofiatraffic.bg

mobility-lines =
    For routes and timetables of Sofia's buses, trams, trolleybuses and metro, please check the website of the Urban Mobility Center (Център за градска мобилност, ЦГМ).

    I don't have the timetables myself, so I can't tell you when the next bus or tram comes.
    https://www.sofiatraffic.bg

mobility-parking-pay =
    You can pay for street parking by text message (SMS). Write your car's registration number and send it:
    • to 1302 for the blue zone;
    • to 1303 for the green zone.

    I don't have confirmed prices or hours for paid parking. Please check them on the Urban Mobility Center (ЦГМ) website.
    https://www.sofiatraffic.bg

mobility-zones =
    Paid street parking in Sofia has two zones:
    • the blue zone (синя зона): the city centre, at most 2 hours;
    • the green zone (зелена зона): around the blue one, at most 4 hours.

    I don't have confirmed zone boundaries, prices or hours. Please check them with the Urban Mobility Center (ЦГМ), which runs paid parking.
    https://www.sofiatraffic.bg

mobility-towed =
    I don't have confirmed information on how to get a wheel clamp (скоба) removed or where a towed car is taken.

    Paid parking in Sofia is run by the Urban Mobility Center (Център за градска мобилност, ЦГМ), so please ask them. You can also ask one of our staff with the button below.
    https://www.sofiatraffic.bg

## Report a road problem (a form)

mobility-report-ask-category =
    I'll pass your report to a staff member. What is the problem?

    If anyone is in danger, call 112 now.

mobility-cat-pothole = Pothole
mobility-cat-traffic-light = Traffic light
mobility-cat-pavement = Pavement or sidewalk
mobility-cat-other = Something else

mobility-report-retry-category = Please choose one of the buttons: pothole, traffic light, pavement or something else.

mobility-report-ask-place =
    Where is it? Type the district or neighbourhood, for example Lyulin or Mladost 1.
    You can also send a location pin.

mobility-report-retry-place =
    I couldn't recognise that place. Type the district, for example Lozenets or Nadezhda, or send a location pin.

mobility-report-ask-description =
    Please describe the problem briefly and say exactly where it is: street, number, crossing.

mobility-report-retry-description = Please write at least a few words about the problem.

mobility-report-ask-photo =
    If you have a photo, send it now. A photo is optional.

mobility-report-retry-photo = Please send a photo, or skip this step with the button.

mobility-report-sent =
    Thank you! I've passed your report to a staff member.
    Problem: { $category }
    Place: { $place }

    You can also report it to Call Sofia, the city's 24/7 contact centre, on 0700 17 310 or online. They give you a registration number so you can follow up on it.
    https://call.sofia.bg

mobility-btn-other-ways = Bikes, scooters, taxis
mobility-other-ways =
    I don't have confirmed information on cycle lanes, e-scooters or taxi services in Sofia.

    You can report a problem on the street (scooters blocking the pavement, say) to Call Sofia: 0700 17 310, day and night, or online. For anything else I can pass your question to a member of staff.
    https://call.sofia.bg
