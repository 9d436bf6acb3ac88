"""Reading the input: the only code that opens the data folder, the checks on every row, and the
complete reporting years.
"""
