"""The realigner: which new English paragraph came from which old one, and what the edit did.

A pure function over two lists of paragraphs, built to stay near-linear when edits are local:

1. exact matches first, through a hash map of comparison keys (whitespace, Unicode and quote
   styles normalised); copies of a repeated paragraph (boilerplate) are paired so that the most
   paragraphs keep their order (a longest common subsequence), copy to copy;
2. the longest order-consistent chain of those matches is the backbone; an exact match off the
   backbone is a moved paragraph;
3. between consecutive anchors, the unmatched paragraphs are paired by similarity of their word
   tokens (an order-keeping dynamic programme inside each gap, which is small when edits are
   local);
4. a global pass pairs what is left across the whole text: paragraphs both moved and edited;
5. containment (the longest common subsequence of words) recognises splits (one old paragraph
   became several consecutive new ones) and merges (several became one); a paragraph trimmed or
   extended a lot is recognised the same way. A new paragraph whose exact text is in the old
   version is never a merge.

A pairing far from where the paragraph's neighbours put it (more than `FAR_AWAY` paragraphs)
needs the paragraphs to be nearly identical: in a live blog of look-alike entries, a brand-new
entry is not the continuation of a deleted one a thousand entries away.

Every new paragraph is then unchanged, minor or changed (see `edits.is_minor`) or new; every old
paragraph is mapped or removed, exactly once. Each mapped old paragraph has one heir: the new
paragraph that carries its identity (its stored row, translations and history) on. That is its
exact copy when there is one (of several equally placed copies the first: a paragraph pasted
twice goes on where it stood), else the most similar of the new paragraphs that came from it;
the other parts of a split are new rows that start from its translation. A further exact copy
is `unchanged` too, with the same source: its English is the same word for word, so its new row
starts from the translation as it was, state and approval included (see `sources`).
The package imports nothing heavy: the command line `python -m workflow realign` must start fast.
Its modules: `alignment` (what the realigner says), `identical` (step 1), `words` (the word
tokens the similarity steps compare) and `aligner` (steps 2 to 5, and the heirs).
"""

from workflow.realign.aligner import FAR_AWAY, NEARLY_IDENTICAL, realign
from workflow.realign.alignment import Alignment, Mapping, Status

__all__ = ["FAR_AWAY", "NEARLY_IDENTICAL", "Alignment", "Mapping", "Status", "realign"]
