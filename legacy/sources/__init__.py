"""Quoted sources in a legacy story's body: plain text in, `Source` objects out.

A person is a quoted source when the story reports their words: a speech verb
follows the name (``Duvanov said``, ``Yevgeny Zhovtis, head of …, said``), or
the name follows an inverted speech verb or ``according to`` (``“…,” said
Zarina Odinaeva``, ``according to Bolot Kadyrov``), or a paragraph that names
nobody before its attribution to a pronoun (``“…,” she said``) follows one
whose last person named is them, other than as an object (``the trial of
X``, ``X’s lawyer``) or in a quotation or an aside.  The description is the
one the story gives the person anywhere: a role phrase before the name
(``journalist and political commentator Sergei Duvanov``, ``Lawyer Anar
Mehdiyev``) or an appositive after it (``Nino Beridze, an analyst at …,``).
A person only mentioned is never a source: ``sentenced activist X``, ``X
denied the charges`` (a verb with a plain object, not reported words), ``X,
leader of Alga, said Duvanov`` (the speaker follows the verb).

Later references by surname alone are the same person, and so is a surname
misspelt by one letter (recorded in `Source.aliases`).  Names must look like a
person's: 1-4 capitalised words, no institution or place words.

The modules, in the order the extraction uses them:

- `vocabulary`: the word lists (roles, titles, speech verbs, stop words);
- `names`: which capitalised runs are people's names;
- `descriptions`: role phrases before a name and appositives after it;
- `attribution`: whether and how a name is quoted (`Quoting`);
- `reading`: one paragraph's names, quotes and pronoun attributions;
- `people`: a story's people and which of them a name refers to;
- `resolution`: the stages that put the paragraphs together;
- `pipeline`: `extract_sources`, the stages in order.

Pure Python (no Django).  Every regular expression is compiled once and
written so that it cannot backtrack catastrophically; the work per story is
linear in its length.
"""

from .pipeline import extract_sources

__all__ = ["extract_sources"]
