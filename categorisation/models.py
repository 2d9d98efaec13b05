# Models for this part of the domain arrive with their issue; the app is installed now so the
# layout matches the design and migrations stay linear.
