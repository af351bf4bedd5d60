"""Static files as every set-up serves them, `make run` included: whitenoise's compressed
manifest storage (a content hash in each name, gzip copies, a year's cache for the hashed
names), with the hashed names also when DEBUG is on.

Django's manifest storage hands out the plain names while DEBUG is on, to be served from the
source folders; our development server (`make run`, DEBUG on) serves what collectstatic wrote,
as production does, so pages carry the same fingerprinted, cacheable files everywhere.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class FingerprintedStaticFilesStorage(CompressedManifestStaticFilesStorage):
    # Without a manifest (collectstatic not run) a page keeps working with the plain name
    # rather than failing: `make run`, `make prod` and the image all run collectstatic first.
    manifest_strict = False

    def url(self, name, force=False):
        return super().url(name, force=True)
