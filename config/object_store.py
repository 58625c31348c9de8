"""Where private files live (evidence, complaint and appeal attachments): the file system of
one machine by default, or an S3-compatible object store shared by several web servers and
workers, chosen by settings (docs/deployment.md).

Objects are private: written with the `private` ACL (or, on a bucket whose ACLs are
disabled, private by the bucket's own policy), never given a public URL, and read only
through the application, which checks who asks before it streams the file (the download
views open the file through the storage API). A signed URL, were one ever made, would last
a minute.
"""

from collections.abc import Mapping

S3_BACKEND = "storages.backends.s3.S3Storage"


def private_storage(environ: Mapping[str, str], location) -> dict:
    """The STORAGES entry for private files: S3 when OBJECT_STORE_BUCKET is set."""
    bucket = environ.get("OBJECT_STORE_BUCKET", "")
    if not bucket:
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location, "base_url": None},
        }
    return {
        "BACKEND": S3_BACKEND,
        "OPTIONS": {
            "bucket_name": bucket,
            # Empty: the provider's own (AWS); set for MinIO, Ceph, Garage, moto, ...
            "endpoint_url": environ.get("OBJECT_STORE_ENDPOINT_URL") or None,
            "region_name": environ.get("OBJECT_STORE_REGION") or None,
            # Empty: boto3's own chain (AWS_* variables, an instance's role, ...).
            "access_key": environ.get("OBJECT_STORE_ACCESS_KEY_ID") or None,
            "secret_key": environ.get("OBJECT_STORE_SECRET_ACCESS_KEY") or None,
            "location": environ.get("OBJECT_STORE_PREFIX", "private"),
            # The canned ACL each object is written with; empty for a bucket whose ACLs are
            # disabled (S3's "bucket owner enforced"), which is private by its policy.
            "default_acl": environ.get("OBJECT_STORE_ACL", "private") or None,
            "querystring_auth": True,
            "querystring_expire": 60,
            "signature_version": "s3v4",
            "file_overwrite": False,  # a second file of the same name gets a name of its own
            "custom_domain": None,
        },
    }
