#!/usr/bin/env python3
"""Prints a sandbox seed file (docs/sandbox.md) whose owners are the users
of a Salesforce export: ids 1000 upward and user ids 5000 upward in
User.csv order, inactive users archived. Used by make bench and the tests
to give a rehearsal portal the export's sales team.

    owners-seed.py EXPORT_DIR > SEED.json
"""
import csv
import json
import sys

owners = []
with open(sys.argv[1] + "/User.csv", encoding="utf-8", errors="replace",
          newline="") as f:
    for i, row in enumerate(csv.DictReader(f)):
        owners.append({"id": str(1000 + i), "email": row["Email"],
                       "firstName": row["FirstName"],
                       "lastName": row["LastName"], "userId": 5000 + i,
                       "archived": row["IsActive"] != "1"})
print(json.dumps({"owners": owners}))
