"""What the members of `steward demo`'s community write: a makers' community, in a few words.

Chat lines are statements (the demo's help channels are #help and #general, so a question
there opens an inquiry); questions read as questions. Every title is one line without quotes.
"""

from __future__ import annotations

COMMUNITY = "Makers' Corner"

FIRST_NAMES = (
    "maya", "leo", "priya", "tom", "zoë", "amir", "sofia", "kenji", "lena", "omar", "ines",
    "jonas", "aiko", "raj", "clara", "mateo", "nora", "felix", "yara", "emil", "hana", "diego",
    "freya", "kofi", "mila", "ivan", "lucía", "sam", "ada", "theo", "noor", "ravi", "elsa",
    "björn", "chloé", "dmitri", "esther", "farah", "gus", "helga", "ilse", "jamal", "kim",
    "lars", "mei", "nils", "olga", "pablo", "quinn", "rosa", "søren", "tariq", "uma", "vik",
    "wren", "xia", "yusuf", "zara", "ana", "ben", "cleo", "dev", "eli", "fynn", "gaia",
    "hugo", "ida", "joao", "kai", "luz", "marek", "nia", "otto", "pia", "rio", "sven",
)  # fmt: skip
SURNAME_LETTERS = "abcdefghijklmnoprstvwz"
MANAGERS = ("alice", "bruno")

CHAT_STARTS = (
    "Just finished", "Still tinkering with", "Finally printed", "Started on", "Halfway through",
    "Showing off", "Took apart", "Rewired", "Painted", "Calibrated",
)  # fmt: skip
CHAT_THINGS = (
    "a desk lamp", "the drone frame", "my keyboard build", "a weather station", "the robot arm",
    "a cable organiser", "the plant watering rig", "my first PCB", "a camera slider",
    "the workshop shelves", "a tiny synth", "the e-bike battery box", "a laser-cut box",
)  # fmt: skip
CHAT_ENDS = ("", " 🎉", " — photos soon", ", really happy with it", " 🔥", ", took three tries")
CHAT_LINES = (
    "Morning all ☕",
    "Good night folks, back at it tomorrow",
    "The meetup last week was great fun",
    "Today I learned that flux really matters",
    "Brb, the resin printer needs attention",
    "Loving the new filament from the local shop",
    "That soldering tip from yesterday saved my weekend",
    "Thanks for the warm welcome everyone",
    "My cat knocked the printer over again 😅",
    "Weekend plan: cleaning the workbench, finally",
)
REPLIES = (
    "Nice work!", "Looks great 👏", "Love it", "Agreed", "Same here", "Haha yes",
    "That's clever", "Thanks for sharing", "+1", "Good luck with it", "Great idea",
    "Saving this for later", "Welcome aboard!",
)  # fmt: skip
HELLOS = (
    "Hi everyone, new here 👋",
    "Hello! Just joined after the meetup",
    "Hey all, glad to be here",
    "Hi, I found you through the workshop videos",
    "Hello from a beginner, excited to learn",
)
QUESTION_LEADS = ("", "Hi all, ", "Quick question: ", "Hey folks, ")
QUESTIONS = (
    "how do I calibrate the bed on my printer?",
    "what's the best way to store filament?",
    "why does my ESP32 keep resetting?",
    "which soldering iron should I buy first?",
    "can someone explain pull-up resistors?",
    "is PETG food safe?",
    "does anyone know a good CAD tutorial for beginners?",
    "how do I flash Klipper on an Ender 3?",
    "where can I find the meetup schedule?",
    "what voltage does a small servo need?",
    "how do I stop my prints from warping?",
    "which laser cutter settings work for 3 mm plywood?",
)
ANSWERS = (
    "Try lowering the print speed first",
    "Check the wiring on GPIO 0, that fixed it for me",
    "There's a guide pinned in #announcements",
    "A dry box with silica gel works well",
    "Use a 10k resistor there",
    "I had the same issue, a firmware update fixed it",
    "A temperature-controlled iron, the cheap ones are a pain",
    "Slow down the first layer and clean the bed with alcohol",
)
THANKS = ("Thanks, that worked!", "Perfect, thank you 🙏", "Got it, thanks", "That did it 🙌")

# one list per content type, a title each week (the week's number is added past the end)
POST_TITLES = {
    "article": (
        "Guide: choosing your first 3D printer",
        "Soldering basics, part two",
        "Five tips for cleaner cable management",
        "Member spotlight: a solar weather station",
    ),
    "video": (
        "Video: a macro keypad in ten minutes",
        "Video: resin printing from start to finish",
        "Video: a tour of our shared workshop",
        "Video: fixing a toaster with a multimeter",
    ),
    "discussion": (
        "Discussion: what is on your workbench this week?",
        "Discussion: your worst build fail",
        "Discussion: which tool changed how you make things?",
        "Discussion: share a project you abandoned",
    ),
    "event": (
        "Event: repair café at the library, Saturday 14:00",
        "Event: online show-and-tell, Thursday 19:00",
        "Event: beginners' soldering night",
        "Event: open workshop day",
    ),
    "announcement": (
        "Announcement: new guidelines for #help",
        "Announcement: workshop opening hours change",
        "Announcement: we passed 250 members",
        "Announcement: a new channel for project logs",
    ),
}
POLLS = (
    ("Which workshop next month?", ("Woodworking", "PCB design", "Laser cutting")),
    ("Best evening for the online meetup?", ("Tuesday", "Wednesday", "Thursday")),
    ("What should the next video cover?", ("Resin", "Arduino", "CNC", "Welding")),
    ("Where should the summer trip go?", ("Science museum", "Maker fair", "Scrapyard")),
)
MEMBER_POLLS = (
    ("Favourite filament?", ("PLA", "PETG", "ABS")),
    ("Metric or imperial screws?", ("Metric", "Imperial", "Whatever fits")),
    ("Coffee or tea in the workshop?", ("Coffee", "Tea", "Mate")),
    ("Best soldering music?", ("Synthwave", "Jazz", "Silence")),
)
CONTEST = "Show us your workbench"
SURVEY = ("Monthly pulse", "How happy are you here (1-5) | What should we do more of?")
SURVEY_WISHES = ("More videos", "Beginner nights", "More events", "Project reviews", "Meetups")

FEEDBACK_GOOD = (
    "Love the weekly videos, keep them coming",
    "The community is so friendly and helpful",
    "Great events lately, the repair café was brilliant",
    "Really helpful answers in help, thank you",
    "The workshop videos are excellent",
)
FEEDBACK_BAD = (
    "Questions in general get ignored and answers are terribly slow",
    "Way too many announcements this week, really annoying",
    "The docs are outdated and confusing",
    "Event times are bad for people in Asia",
)
FEEDBACK_NEUTRAL = (
    "More beginner tutorials would be nice",
    "A channel for selling spare parts",
    "The videos are good but a bit long",
)
REACTIONS = ("👍", "❤️", "🎉", "😂", "🔥", "👀", "🙏")
POST_REACTIONS = {
    "article": ("👍", "📌", "❤️"),
    "video": ("🔥", "🎬", "👍", "❤️", "🤯"),
    "discussion": ("👀", "👍", "😂"),
    "event": ("✅", "🎉", "👍"),
    "announcement": ("👍", "🎉"),
    "poll": ("👍",),
}
