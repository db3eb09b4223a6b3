"""The planning layer: requirements per interval, the shift program, the simulate–
correct–trim–verify search and the Plan it returns; over a year, the capacity plan
(required against available FTE per week) and its hiring program."""
