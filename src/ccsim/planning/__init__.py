"""The planning layer: requirements per interval, the shift program, the simulate–
correct–trim–verify search and the Plan it returns."""
