"""Pages of the secondment cycle, by sub-domain: vacancies, nominations, secondments, feeds,
subscriptions (calendar addresses, saved searches) and statistics."""
