"""Draft folders: written by ``extract``, edited by a reviewer, merged into the seed by ``merge``.

A draft folder looks like a seed folder: ``sources.yaml``, ``agencies.yaml``,
``regions.yaml`` ..., ``relationships/<source>.yaml``, the new articles in
``sources/``, and ``draft.yaml`` (what was extracted from where, and whether
it was merged). Every record may carry a ``draft:`` mapping (see
:mod:`graphmodel.extract.records`); only records whose ``draft.status`` is
``accepted`` (or that have no ``draft`` mapping: written by the reviewer)
are merged.

Writing is all-or-nothing: the draft is built in a temporary folder beside
its destination and renamed into place when complete. Merging is too: the
seed is copied, the accepted records are written into the copy, the copy is
validated with :func:`graphmodel.seed.load_seed`, and only then are the
changed seed files replaced (each with an atomic rename). On any problem the
seed is left as it was and every problem is listed as ``file:line``.

A draft is untrusted input: someone else may have made or edited it. Merge
reads and checks all of it before it writes anything, and refuses (naming
the draft file, line and field) a symbolic link or anything but a regular
file inside the draft, a new article's ``path`` that is absolute, holds
``..`` or is not ``sources/NAME`` as ``extract`` names it, an article text
whose sha256 differs from the one ``draft.yaml`` recorded when it was
extracted, and a destination in the seed that is a symbolic link or not a
regular file. The article is copied from the bytes whose hash was checked.

The modules: :mod:`.folder` (what a draft holds; reading and saving it),
:mod:`.write` (``extract``'s side), :mod:`.untrusted` (reading files a
stranger may have made) and :mod:`.merge`.
"""

from graphmodel.extract.draft.folder import MANIFEST, STATUSES, Draft, DraftEntry, read_draft, save_draft
from graphmodel.extract.draft.merge import MergeReport, merge_draft
from graphmodel.extract.draft.write import write_draft

__all__ = ["write_draft", "read_draft", "merge_draft", "save_draft", "Draft", "DraftEntry", "MergeReport", "MANIFEST",
           "STATUSES"]
