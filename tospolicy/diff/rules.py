"""The rules of `tospolicy diff`: what each DIFF id means, for reporters (SARIF,
`explain`) and for people reading a regression on a pull request.

A DIFF id names a dimension of protection. A regression moves along it one
way (and is a finding); an improvement moves the other way (and is not).
DIFF001–DIFF011 are the ids of RULEPACKS.md (DIFF010 and DIFF011: the prose of
a bound text, diff/prose.py); DIFF012 and DIFF013 extend them (docs/diff.md
says why).
"""

from __future__ import annotations

from tospolicy.findings import RuleInfo

_SEVERITY = (
    "\n\n**Severity.** `error` when the change touches AI training (a purpose that overlaps "
    "`ai.training`, which `ai` and `any` do), an open-ended or commercial purpose (`any`, "
    "`commercial.*`: sold or licensed data cannot be called back), sensitive data (categories "
    "under `biometric` or `special`) or children; `warning` otherwise."
)
_FTC = ("FTC, \"AI (and other) Companies: Quietly Changing Your Terms of Service Could Be "
        "Unfair or Deceptive\" (February 2024)")


def _rule(number, name, summary, description, references=(), tags=(), severity="warning"):
    return RuleInfo(
        id=f"DIFF{number:03d}", name=name, severity=severity, summary=summary,
        description=description, references=tuple(references), tags=("diff", *tags),
        pack="diff",
    )


DIFF_RULES = (
    _rule(
        1, "new-purpose",
        "Data is used for a purpose it was not used for before.",
        "A `use` now covers a purpose that no purpose of the previous version covered for that "
        "data, through the taxonomy: `ai.training` after `service.provision` is new, and so is "
        "`any` or `ai` after `ai.training` (a purpose made broader). A data set that did not exist "
        "before has only new purposes. The statement now applying in more regions counts too. "
        "Purposes removed or made narrower are improvements. A purpose a service needs to run "
        "lawfully (under `service.provision`, `service.support`, `service.security` or `legal`) "
        "gained by existing data is neutral, unless the data is sensitive or a `never` of the "
        "old version ruled it out.\n\n"
        "Using data for a purpose it was not collected for needs a new legal basis, and often "
        "fresh consent: it is what reviewers must see first (Zoom, March 2023: \"Service "
        "Generated Data ... for any purpose ... including ... training and tuning of algorithms "
        "and models\")." + _SEVERITY,
        ("GDPR Art. 5(1)(b) (purpose limitation)", "GDPR Art. 6(4)", _FTC),
        ("purpose", "ai"),
    ),
    _rule(
        2, "consent-weakened",
        "Consent for a use, share or licence was weakened.",
        "Consent moved down `explicit_opt_in > opt_in > opt_out > none`, was no longer given by "
        "each user but by the account owner for everyone, or the declaration stopped saying how "
        "consent is withdrawn (a path that moved to the service's `right withdraw_consent` has "
        "not stopped). A consent that is not stated promises nothing and ranks with "
        "`none`: removing a stated `opt_in` is a regression, stating `none` where nothing was said "
        "is neutral. Stronger consent is an improvement." + _SEVERITY,
        ("GDPR Art. 4(11)", "GDPR Art. 7", "GDPR Art. 21"),
        ("consent",),
    ),
    _rule(
        3, "basis-away-from-consent",
        "The legal basis of a use or share moved away from consent.",
        "`basis: consent` became another basis (or none is stated). Processing then goes on "
        "whatever the person wants, and withdrawing consent no longer stops it. Moving to "
        "consent is an improvement; a change between two other bases is neutral." + _SEVERITY,
        ("GDPR Art. 6(1)", "GDPR Art. 7(3)"),
        ("consent", "basis"),
    ),
    _rule(
        4, "new-or-escalated-share",
        "Data is shared with someone new, or shared further than before.",
        "A new `share` (by data and recipient), a share that covers more data, a role escalated "
        "(`processor`, then `affiliate`, then `third_party` or `government`, then `public`), "
        "`sale` turned on, "
        "broader purposes (a share without purposes is not limited; purposes a service needs to "
        "run lawfully are neutral, as for DIFF001), a new transfer outside the "
        "EU/EEA without safeguards, safeguards removed, or a use now performed by third parties. "
        "The reverse is an improvement." + _SEVERITY + " A sale and a share with the public are "
        "always `error`.",
        ("GDPR Art. 13(1)(e)", "GDPR Art. 44–46", "CCPA §1798.120"),
        ("share", "transfer"),
    ),
    _rule(
        5, "retention-extended",
        "Data is kept longer than before.",
        "The longest `retain` period of a data set grew: a duration after the same event became "
        "longer, `indefinitely` replaced a limit, or the retention stopped being stated. "
        "`indefinitely` is longer than any duration; a duration and `until EVENT` cannot be ranked "
        "and such a change is neutral. Shorter retention is an improvement." + _SEVERITY
        + " For retention, the purposes are those of the new `retain` statements: kept longer "
        "for AI training is an `error`.",
        ("GDPR Art. 5(1)(e) (storage limitation)", "CCPA §1798.100(a)(3)"),
        ("retention",),
    ),
    _rule(
        6, "license-broadened",
        "A licence over people's data was taken or broadened.",
        "A new `license` (by data and grantee), a licence over more data, new scope words "
        "(`perpetual`, `irrevocable`, `sublicensable`, `transferable`, `exclusive`, "
        "`survives_deletion`, …) or broader purposes (through the taxonomy; a licence without "
        "purposes covers `any`; purposes a service needs to run lawfully are neutral, as for "
        "DIFF001). Narrower licences are improvements (Zoom, 11 August 2023: the "
        "licence limited to providing the services; WeTransfer, July 2025: the machine-learning "
        "purpose and the perpetual, sublicensable terms withdrawn)." + _SEVERITY,
        (_FTC,),
        ("license", "ai"),
    ),
    _rule(
        7, "right-removed",
        "A right people could exercise was removed or weakened.",
        "A `right` is no longer declared, takes longer to be answered (`within`), or applies in "
        "fewer regions. Many rights exist by law whatever the declaration says: check that the "
        "service still honours it. A right added is an improvement.\n\n**Severity.** `error` for "
        "`opt_out_ai_training`, `opt_out_sale` and `limit_sensitive`; `warning` otherwise.",
        ("GDPR Art. 12–22", "CCPA §1798.105–1798.125"),
        ("rights",),
    ),
    _rule(
        8, "new-data-categories",
        "A data set holds categories of data it did not hold before.",
        "A data set gained categories (its own, or those of data it is now `derived_from`), or a "
        "new data set appeared. Every use, share and licence of that data now covers them. "
        "Categories removed, and data sets removed, are improvements.\n\n**Severity.** `error` "
        "when a new category is sensitive (under `biometric` or `special`), or a new data set "
        "concerns children; `warning` otherwise.",
        ("GDPR Art. 5(1)(c) (data minimisation)", "GDPR Art. 9(1)"),
        ("data", "sensitive"),
    ),
    _rule(
        9, "commitment-removed",
        "A `never` commitment was removed or narrowed.",
        "A (data, purpose) pair that a `never` covered is no longer covered by any `never` of the "
        "same data for the same or a broader purpose, or the commitment applies in fewer regions. "
        "A promise withdrawn quietly is what regulators call deceptive. A new commitment is an "
        "improvement (Zoom, 11 August 2023: communications-like Customer Content never used to "
        "train AI models)." + _SEVERITY,
        (_FTC, "FTC Act §5"),
        ("commitment", "ai"),
    ),
    _rule(
        10, "quoted-passage-changed",
        "A passage of the bound text that a statement quotes changed or disappeared.",
        "Between the two versions, the block of the bound text (`text:`) that a statement's "
        "`quote` covered changed or is gone, whether the quote still matches or not: the "
        "statement may no longer be the twin of the text. Blocks are compared by what they say: "
        "a block that moved, or whose only change is its section number or its markup, has not "
        "changed. The message shows the changed words (`[-old-]{+new+}`; `~~old~~ **new**` in "
        "Markdown). Read the new passage, update the statement if its meaning changed, and the "
        "quote.\n\n**Severity.** `error` when the passage is on a watched topic of severity "
        "error (AI training, sale of data); `warning` otherwise.",
        ("LANGUAGE.md \"Binding to the prose\"", "docs/binding.md", _FTC),
        ("binding", "prose"),
    ),
    _rule(
        11, "unquoted-passage",
        "A passage on a watched topic was added to the text, or changed, and no statement quotes it.",
        "A block of the new version of a bound text speaks of a watched topic (AI training, sale "
        "of data, licences over user content, sharing, biometrics, children, precise location, "
        "advertising and profiling; packs add topics) and was added or changed, and no quote of "
        "the new declaration covers it: the text now says something the declaration does not. "
        "The finding is in the text file, at the block. Declare what the passage says and quote "
        "it, or quote it on the service to record that it needs no statement.\n\n**Severity.** "
        "the topic's: `error` for AI training and sale of data, `warning` for the others.",
        ("LANGUAGE.md \"Binding to the prose\"", "docs/binding.md", _FTC),
        ("binding", "prose"),
    ),
    _rule(
        12, "more-people-concerned",
        "The declaration now concerns more people, or children.",
        "A data set concerns new kinds of people (`subjects`), or the service's audience now "
        "includes children (`children`, `mixed`). The reverse is an improvement.\n\n**Severity.** "
        "`error` when children are concerned (COPPA, GDPR Art. 8); otherwise as for DIFF001.",
        ("COPPA 16 CFR 312", "GDPR Art. 8"),
        ("children", "subjects"),
    ),
    _rule(
        13, "safeguard-weakened",
        "A safeguard on processing was weakened.",
        "Data (or a use of it) became more identifiable (`aggregated < deidentified < "
        "pseudonymized < identifiable`; data that does not say is identifiable), a use now makes "
        "automated decisions or is no longer reviewed by a person, or the service now acts as "
        "controller of data its customers entrust to it rather than as their processor. The "
        "reverse is an improvement." + _SEVERITY + " A change of role is a `warning`.",
        ("GDPR Art. 22", "GDPR Art. 28", "GDPR Recital 26"),
        ("safeguards",),
    ),
)
