"""The benchmark harness (`make bench`): the portal against the two limits of its own answers.

L0 is a bare Django view returning the very bytes the portal answered; L1 runs the very SQL
statements the portal ran for that request, raw on a persistent psycopg2 connection, rows encoded
with orjson. Both are served by the same server kind as the portal (granian, 2 workers). See
bench/README.md.
"""
