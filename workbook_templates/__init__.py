"""The forms: their one definition, the campaign settings, writing unit templates and the
control workbook, and reading returned workbooks back into typed records."""
