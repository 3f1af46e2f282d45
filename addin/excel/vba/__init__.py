"""A VBA project (``vbaProject.bin``) written from text sources, per MS-OVBA and MS-CFB."""
