"""The one progress bar shared by grade, export and worksheet --students."""

import io

from lstm_sym.cli.progress import ProgressBar


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_bar_only_on_a_terminal(monkeypatch):
    for stream, shown in ((Terminal(), True), (io.StringIO(), False)):
        monkeypatch.setattr("sys.stderr", stream)
        bar = ProgressBar("students")
        for done in range(1, 5):
            bar(done, 4)
        text = stream.getvalue()
        assert ("\r[" + "#" * 15 + " " * 15 + "] 2/4 students" in text) is shown
        assert text.endswith("\r[" + "#" * 30 + "] 4/4 students\n") is shown
        assert bool(text) is shown


def test_progress_bar_draws_nothing_for_an_empty_job(monkeypatch):
    stream = Terminal()
    monkeypatch.setattr("sys.stderr", stream)
    ProgressBar("answers")(0, 0)
    assert stream.getvalue() == ""


def test_every_command_uses_the_one_bar():
    # grade, export and worksheet once each drew their own bar.
    import lstm_sym.cli.grade as grade
    import lstm_sym.cli.worksheet as worksheet

    assert not hasattr(grade, "ProgressBar") and not hasattr(worksheet, "Progress")
    assert worksheet.ProgressBar is ProgressBar
