"""Moodle's grading rules, reimplemented in Python for our tests (not copied: Moodle is GPL,
this project keeps its own licence; each module names the Moodle source whose behaviour
it follows, as read in moodle/moodle's public repository).

* :mod:`.xml_import`: what the XML importer (question/format/xml/format.php) reads from
  our files;
* :mod:`.cloze`: the cloze (multianswer) extractor and validator
  (question/type/multianswer/questiontype.php);
* :mod:`.numerical`: reading a numerical response and the tolerance interval with its
  absolute margin (question/type/numerical/question.php, questiontype.php);
* :mod:`.shortanswer`: wildcard matching (question/type/shortanswer/question.php).
"""
