"""jixiao-review core: reading, extraction and checking of performance self-evaluation reports.

Pure library code: no terminal UI imports (a test proves it).
"""
