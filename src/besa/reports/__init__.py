"""Standard reports: pure data functions (rows and totals) rendered as a page, a PDF and an
Excel workbook, with server-rendered charts, and their monthly delivery by e-mail."""
