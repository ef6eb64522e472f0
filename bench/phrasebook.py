"""Word lists and sentence patterns for the synthetic news generator (bench/synthetic.py).

Everything here was written for this project: invented people, places, outlets and
organisations, and sentence patterns in plain news English. A sentence is an optional opener,
a clause and an optional attribution; with the clauses below that makes several thousand
patterns, each with slots ({place}, {person}, {money}...) filled per article or per sentence.
"""

from __future__ import annotations

from dataclasses import dataclass

FIRST_NAMES = (
    "Aldra", "Bram", "Cosima", "Dario", "Edda", "Fenna", "Gideon", "Hester", "Ines", "Joren",
    "Kaia", "Lionel", "Mirela", "Nils", "Orla", "Pim", "Quilla", "Rasmus", "Saskia", "Tobin",
    "Ulla", "Vero", "Wendel", "Xanthe", "Yusra", "Zeno", "Amara", "Boaz", "Clio", "Desmond",
    "Elodie", "Farid", "Greta", "Halvard", "Ilona", "Jasper", "Kenji", "Linnea", "Matteo",
    "Noor", "Oskar", "Priya", "Ruben", "Selma", "Teodor", "Una", "Viktor", "Wilma",
)
_NAME_STARTS = (
    "Ash", "Bel", "Cor", "Dun", "El", "Fen", "Gar", "Hol", "Ives", "Kel", "Lind", "Mor", "Nor",
    "Pen", "Quar", "Ros", "Sel", "Tal", "Ud", "Var", "Wex", "Yar", "Brack", "Crest", "Dray",
)
_SURNAME_ENDS = (
    "by", "combe", "dale", "ford", "gate", "ham", "ley", "mere", "ton", "wick", "worth",
    "well", "stead", "thorne",
)
_PLACE_ENDS = (
    "bridge", "brook", "bury", "field", "haven", "holm", "mouth", "port", "stow", "vale",
    "wood", "minster", "cliffe", "moor",
)
SURNAMES = tuple(start + end for start in _NAME_STARTS for end in _SURNAME_ENDS)
PLACES = tuple(start + end for start in _NAME_STARTS for end in _PLACE_ENDS)

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
NUMBER_WORDS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                "eleven", "twelve")
ROLES = (
    "a spokesperson for the authority", "the project manager", "a local councillor",
    "the chief executive", "a senior official", "the committee chair", "an independent adviser",
    "a community organiser", "the head of operations", "a researcher who followed the case",
    "the deputy mayor", "a union representative",
)
OUTLET_KINDS = ("Courier", "Herald", "Gazette", "Post", "Times", "Observer", "Chronicle",
                "Echo", "Mercury", "Sentinel", "Express", "Journal")
SECTIONS = ("News", "Local", "Politics", "Business", "Science", "Health", "Sport", "Culture",
            "Education", "Weather", "Opinion", "Travel")
FOOTER_LINKS = ("About us", "Contact us", "Advertise with us", "Careers", "Privacy Policy",
                "Terms of Use", "Cookie settings", "Accessibility", "Sitemap")

QUOTES = (
    "We have listened to what people told us and changed the plans as a result",
    "This is the best investment we will make in a generation",
    "Nobody is against the idea, but the timing is wrong",
    "We need to see the full costs before we commit to anything",
    "It has been a difficult few months for everyone involved",
    "The figures speak for themselves and we are very encouraged",
    "We will keep working with residents until we get this right",
    "I have lived here all my life and I have never seen anything like it",
    "There are still a lot of questions that nobody has answered",
    "Our priority is to keep people safe while the work goes on",
    "It is a fair result and the team deserved it",
    "We were told one thing in the spring and another thing in the autumn",
    "This will make a real difference to families across the area",
    "The decision was not taken lightly and we understand the concerns",
    "People want to know that their money is being spent well",
    "We expect to have a clearer picture by the end of the month",
    "The staff have worked incredibly hard under a great deal of pressure",
    "It is too early to say what the long-term effects will be",
    "We are disappointed, but we respect the outcome of the vote",
    "Everyone I have spoken to is relieved that a decision has finally been made",
    "The evidence is clear that early action saves money later on",
    "We cannot keep asking the same people to carry the cost",
    "I would urge anyone with information to come forward",
    "The response from the public has been overwhelming",
    "There is no quick fix, but this is a step in the right direction",
)
QUOTE_FRAMES = (
    '"{quote}," said {person}, {role}.',
    '"{quote}," {person2} said.',
    '{person}, {role}, said: "{quote}."',
    '"{quote}," added {person2}.',
    '"{quote}," {person} told reporters on {weekday}.',
    'Speaking on {weekday}, {person2} said: "{quote}."',
)
OPENERS = (
    "On {weekday}, ", "Earlier this year, ", "Last {month}, ", "In {year}, ",
    "According to {org}, ", "Meanwhile, ", "However, ", "At the same time, ",
    "In a statement, ", "By contrast, ", "As a result, ", "In {place2}, ",
)
CLOSERS = (
    ", {person} said.", ", according to {org}.", ", officials said.",
    ", a spokesperson confirmed.", ", the figures show.", ", {person2} added.",
)

# Clauses any topic can use: {project}, {org} and {group} come from the article's topic.
GENERAL_CLAUSES = (
    "{org} has approved {money} for {project}",
    "The plan for {project} was first put forward in {year}",
    "Work on {project} is expected to begin in {month} and take around {number} months",
    "More than {count} {group} signed a petition calling for changes to {project}",
    "The decision follows {number} years of debate over the future of {project} in {place}",
    "{person}, {role}, told a public meeting on {weekday} that the timetable was realistic",
    "Figures published by {org} show a rise of {percent} compared with the same period "
    "last year",
    "The cost of {project} has risen by {percent} since the original estimate was made",
    "{group_cap} in {place2} say they were not consulted about {project}",
    "A spokesperson for {org} said the details would be published in {month}",
    "The scheme will be paid for partly from reserves and partly by a grant of {money}",
    "{person2} said the proposals did not go far enough and called for a fresh review",
    "Around {count} people attended the meeting at the town hall in {place}",
    "Critics argue that the money would be better spent on services that people use every day",
    "A further vote on {project} is planned for {month}, after the summer recess",
    "Officials in {place} have been asked to report back within {number} weeks",
    "Local businesses welcomed the announcement, saying it would bring more visitors to "
    "{place}",
    "The number of {group} affected has grown to {count} in the past year",
    "{org} said it had received {count} responses to its consultation",
    "An independent review of {project} found that costs had been underestimated by {money}",
    "{group_cap} in {place2} have raised concerns about noise and traffic during the work",
    "The first phase of {project} is due to be completed by the end of {year}",
    "Opposition members accused {org} of rushing the decision through without proper scrutiny",
    "{person} said the organisation had listened carefully to the concerns of {group}",
    "A similar project in {place2} was completed last year at a cost of {money}",
    "Turnout at the consultation events was higher than expected, with {count} visitors over "
    "{number} days",
    "The proposals will now go to a committee for detailed scrutiny before a final decision",
    "Campaigners plan to hold a protest outside the offices of {org} on {weekday}",
    "The report recommends that {org} sets aside a further {money} for maintenance",
    "Data from {org} suggests that demand has risen by {percent} since {year}",
    "{person2}, who has lived in {place} for {number} decades, described the change as long "
    "overdue",
    "{org} has promised regular updates on the progress of {project}",
    "The full report runs to more than {count} pages and includes {number} recommendations",
    "It is not the first time that {project} has divided opinion in {place}",
    "Both sides agree that something has to change, but they disagree about what and when",
)


@dataclass(frozen=True, slots=True)
class Topic:
    """One beat of the newsroom: its organisations, projects, affected groups, own clauses
    and headline patterns."""

    name: str
    section: str
    orgs: tuple[str, ...]
    projects: tuple[str, ...]
    groups: tuple[str, ...]
    clauses: tuple[str, ...]
    headlines: tuple[str, ...]


TOPICS = (
    Topic(
        "council", "Local",
        ("{place} Town Council", "{place} District Council", "the {place} Planning Board"),
        ("a new public library", "the Mill Lane housing scheme", "a riverside park",
         "the town centre regeneration plan", "a new leisure centre", "the market square "
         "redesign", "the {place} bypass"),
        ("residents", "councillors", "shopkeepers", "tenants"),
        ("Councillors voted {score_votes} in favour of the plan at {weekday} evening's meeting",
         "Council tax in {place} will rise by {percent} from April to help pay for {project}",
         "The council's budget gap for next year stands at {money}",
         "The planning committee deferred its decision on {project} for a second time",
         "The existing building on Castle Street, which opened in {year}, will close once the "
         "new one is ready",
         "A public exhibition of the designs will be held at {place} Town Hall next {month}",
         "The leader of the council said the authority had no choice but to make savings",
         "Ward councillors in {place2} have asked for a separate meeting with residents"),
        ("{place} council approves {money} plan for {project}",
         "Residents divided over {project} in {place}",
         "{place} to get {project} after years of delay",
         "Council tax to rise by {percent} in {place}",
         "Vote on {project} delayed again"),
    ),
    Topic(
        "transport", "News",
        ("the {place} Transport Authority", "{surname} Rail", "{place} Buses"),
        ("the new tram line", "the {place} ring road", "the station upgrade", "a cycle route "
         "to {place2}", "the night bus network", "the harbour bridge repairs"),
        ("commuters", "passengers", "cyclists", "drivers"),
        ("Bus services between {place} and {place2} will be reduced from {month}",
         "The operator blamed a shortage of drivers and rising fuel costs",
         "Passenger numbers on the line have recovered to {percent} of their previous level",
         "The new timetable adds {number} extra services on weekday evenings",
         "Trains were cancelled for much of {weekday} after a signal failure near {place2}",
         "Journey times between the two towns are expected to fall by about {number} minutes",
         "The bridge will be closed to heavy goods vehicles while engineers assess the damage",
         "Fares on the route will rise by {percent} at the start of the year"),
        ("Delays expected as work starts on {project}",
         "{place} bus cuts anger {group}",
         "{org} promises faster journeys after {money} upgrade",
         "Signal failure halts trains near {place}"),
    ),
    Topic(
        "weather", "Weather",
        ("the {place} Flood Agency", "the Regional Weather Service", "{place} Fire and Rescue"),
        ("the flood defences", "the storm clean-up", "the new drainage scheme",
         "the sea wall repairs", "the emergency shelter programme"),
        ("householders", "farmers", "volunteers", "homeowners"),
        ("Rainfall in {month} was {percent} above the long-term average for the region",
         "The river at {place2} reached its highest level since {year}",
         "Volunteers spent the weekend clearing debris from gardens and streets",
         "Emergency services were called to {place2} shortly after {clock}",
         "Roads around {place} were closed for several hours while crews cleared the area",
         "Forecasters expect conditions to improve by {weekday} afternoon",
         "More than {count} homes were left without power at the height of the storm",
         "Insurers estimate that the damage could cost as much as {money}"),
        ("Storm leaves {count} homes without power in {place}",
         "Flood warning issued for {place} and {place2}",
         "Clean-up begins after record rainfall in {place}",
         "{org} defends response to flooding"),
    ),
    Topic(
        "business", "Business",
        ("{surname} Holdings", "{surname} & {surname2}", "{place} Savings Bank",
         "{surname} Foods"),
        ("the expansion plan", "the new distribution centre", "the proposed merger",
         "the factory in {place2}", "the restructuring programme"),
        ("staff", "shareholders", "suppliers", "customers"),
        ("Shares in {org} rose {percent} in early trading after the announcement",
         "The company employs about {count} people across {number} sites",
         "Analysts had expected profits of around {money} for the year",
         "{org} said it would open a new office in {place2} next {month}",
         "Sales in the last quarter were {percent} higher than a year earlier",
         "The firm said the job cuts would be made mainly through voluntary redundancy",
         "Union leaders said they would seek urgent talks with the management",
         "The board has proposed a dividend of {pence} a share"),
        ("{org} to create {count} jobs in {place}",
         "Profits fall at {org} as costs rise",
         "{org} confirms plans for {project}",
         "Shares jump after {org} update"),
    ),
    Topic(
        "science", "Science",
        ("the University of {place}", "the {place} Institute", "the {surname} Laboratory"),
        ("the long-term study", "the new research centre", "the clinical trial",
         "the survey of coastal wildlife", "the soil monitoring project"),
        ("volunteers", "students", "patients", "participants"),
        ("Researchers studied {count} {group} over a period of {number} years",
         "The findings were published in a peer-reviewed journal on {weekday}",
         "The team found that {percent} of participants reported an improvement",
         "{person} cautioned that further work would be needed before firm conclusions "
         "could be drawn",
         "The study was funded by a grant of {money} from a national research council",
         "The researchers now hope to repeat the work with a larger group",
         "Samples were collected at {number} sites along the coast between {place} and "
         "{place2}"),
        ("Study of {count} {group} finds surprising link",
         "{org} researchers report new findings",
         "{money} grant for {project} at {org}"),
    ),
    Topic(
        "sport", "Sport",
        ("{place} Athletic", "{place} Rovers", "{place} Rugby Club", "the {place} Rowing Club"),
        ("the new stadium", "the youth academy", "the cup run", "the training ground plans"),
        ("supporters", "players", "season ticket holders", "coaches"),
        ("The match in {place} drew a crowd of {count}",
         "{org} won {score} after a late goal in the second half",
         "The victory leaves the side {number} points clear at the top of the table",
         "The manager praised the players for the way they responded after half-time",
         "The club confirmed that its captain would miss the next {number} matches through "
         "injury",
         "Ticket prices for next season will rise by {percent}",
         "The visitors had the better of the opening half hour but failed to take their "
         "chances"),
        ("{org} win {score} in {place} derby",
         "{org} confirm plans for {project}",
         "Late goal keeps {org} top of the table"),
    ),
    Topic(
        "culture", "Culture",
        ("the {place} Arts Trust", "the {place} Museum", "the {place} Festival"),
        ("the summer festival", "the new gallery", "the theatre restoration",
         "the heritage trail", "the museum extension"),
        ("visitors", "artists", "volunteers", "musicians"),
        ("Tickets for the festival in {place} went on sale on {weekday} and sold out within "
         "hours",
         "The exhibition will run until the end of {month} and entry is free",
         "More than {count} people visited the gallery in its first month",
         "The theatre, built in {year}, has been closed since the roof was damaged",
         "Organisers said this year's programme was the largest in the festival's history",
         "Local schools will be offered free workshops during the autumn term"),
        ("{place} festival sells out in hours",
         "{org} unveils plans for {project}",
         "{money} restoration for {place} theatre"),
    ),
    Topic(
        "courts", "News",
        ("{place} Crown Court", "{place} Police", "the {place} Magistrates' Court"),
        ("the fraud case", "the inquiry into the fire", "the appeal", "the investigation"),
        ("witnesses", "victims' families", "jurors", "officers"),
        ("A court in {place} heard that the offences took place between {year} and {year2}",
         "The trial is expected to last {number} weeks",
         "Police said {number} people had been taken to hospital as a precaution",
         "The defendant denies all the charges and the case continues",
         "Detectives have appealed for anyone who was in the area on {weekday} night to "
         "contact them",
         "The judge told the jury that they must decide the case on the evidence alone",
         "A man aged {age} has been arrested and released on bail"),
        ("Man charged after incident in {place}",
         "Trial hears of {money} fraud at {place} firm",
         "Police appeal after {place} fire"),
    ),
    Topic(
        "education", "Education",
        ("the {place} Schools Trust", "{place} College", "the {place} Education Board"),
        ("the new primary school", "the school meals programme", "the teacher recruitment "
         "drive", "the college expansion", "the after-school clubs"),
        ("parents", "pupils", "teachers", "head teachers"),
        ("Head teachers in {place} say budgets have been stretched by rising energy costs",
         "Pupil numbers at schools in the area have fallen by {percent} over the past decade",
         "The new school will have places for {count} children when it opens",
         "Inspectors rated the school good in every category at their last visit",
         "Parents have until the end of {month} to apply for places",
         "The trust said it had recruited {number} new teachers since the summer"),
        ("{place} school wins national award",
         "Parents protest over {project} in {place}",
         "{org} announces {money} for {project}"),
    ),
    Topic(
        "health", "Health",
        ("the {place} Health Board", "{place} General Hospital", "the {place} Care Trust"),
        ("the new clinic", "the hospital car park plans", "the vaccination campaign",
         "the mental health service", "the maternity unit"),
        ("patients", "nurses", "carers", "doctors"),
        ("Waiting times at the hospital in {place} have increased for the third month in a row",
         "Health officials urged {group} to book their appointments early",
         "The clinic will be open seven days a week from {month}",
         "The health board said it had recruited {count} extra staff this year",
         "Around {percent} of appointments were missed last year, costing about {money}",
         "A ward at the hospital was closed to visitors after an outbreak of winter vomiting"),
        ("Waiting times rise again at {place} hospital",
         "{org} opens {project} in {place}",
         "{money} plan to cut delays at {org}"),
    ),
)
