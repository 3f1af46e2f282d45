"""The pipeline the ribbon and the CLI run: collect, check, consolidate, register; and the
Excel-facing layer (ribbon, VBA, xlwings macros) kept thin on top of it."""
