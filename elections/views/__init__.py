"""Pages of election observation, by sub-domain: elections (list, calendar, an election, the
feed), observation activities (ODIHR's forms, observers requested against offered, the roster,
reports), observer offers and recommendations."""
