"""The cell as SymPy data: notation, cells, printing, parameter counts."""
