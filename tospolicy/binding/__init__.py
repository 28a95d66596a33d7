"""Binding a declaration to the prose it is the twin of (LANGUAGE.md, "Binding to the prose").

A service's `text:` names the documents people agree to; `quote:` on a
statement (or the service) names the passages it stands for. This package
reads those documents into blocks a reader sees as one (`blocks`), brings
text and quotes to one plain form (`normalise`), finds quotes exactly
(`quotes`), says which blocks speak of a watched topic (`topics`), shows
where a lost passage went (`closest`, `words`), and reads the files within
the repository and the limits (`texts`). The TEXT checks (`checks/`) and
the prose diff (`tospolicy.diff.prose`) are built on it.
"""
