"""The Textual workbench (filled in by the workbench issue)."""
