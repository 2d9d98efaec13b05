"""The lowest layer: helpers every app may import (the spreadsheet writer, and in time the calendar and
form helpers). ``core`` imports no app of the portal (accounts, schools, categorisation, support, boards,
reporting), only Django and third-party libraries, and has no models, so it is not an installed app."""
