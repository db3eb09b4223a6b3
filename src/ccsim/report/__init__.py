"""The report layer: the typed report of a run or plan, output folders, the Excel
workbook, the HTML page and its charts, JUnit XML and the terminal tables; the
capacity plan's workbook and page, and the fit and backtest pages."""
