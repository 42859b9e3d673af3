"""Files in an S3-compatible bucket (django-storages), for installations with several app
servers. Imported only when the environment names a bucket (config/settings/base.py)."""

from storages.backends.s3 import S3Storage

from core.storage import NO_URL


class PrivateS3Storage(S3Storage):
    """The private files' bucket: objects are written without a public ACL, and no URL is ever
    made for them, neither a plain nor a presigned one, so a link that leaks (a browser
    history, a forwarded e-mail, a proxy log) never opens someone's certificate."""

    def __init__(self, **options):
        super().__init__(**options)
        # Whatever the options or the AWS_* settings say: no public ACL, no link of any kind.
        self.default_acl = None
        self.querystring_auth = False
        self.custom_domain = None

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise ValueError(NO_URL)
