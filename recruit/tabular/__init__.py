"""Reading the tables people export (job boards, CRMs, spreadsheets): the
encoding, the separator, the header row, and values written in the seven
shipped languages. No Flask, no database; each import (candidates, training
activity) reads its own columns from what this package gives it."""
