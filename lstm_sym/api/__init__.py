"""The Python API behind the façade in ``lstm_sym/__init__.py``: one function per
command, with the command's option names, returning results that print briefly and
display as tables or math in Jupyter. It sits on top of every layer (it reuses the
commands' option parsing and writing)."""
