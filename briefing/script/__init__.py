"""Script: an article's paragraphs → segments (narration, quotes, who said them) and spoken forms.

Imports only `briefing.sources` and the shared modules (`model`, `errors`, `resources`,
`storage`); never speech, audio or output.

  segment.py      one article → segments: quotes found, attributed, names unified
  quotes*.py      quote marks paired, attribution cues and mentions found
  attribute.py coref.py names.py given_names.py orgs.py speech_verbs.py speakers.py
                  who said each quote: cues, pronouns, roles, organisations, one name per person
  normalize*.py lexicon.py sentences.py   the spoken form and its sentences
  cache.py        each local document's segments, cached by its bytes and the code
"""
