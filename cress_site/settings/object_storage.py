"""Uploads on S3-compatible object storage, when the environment names a bucket.

With `AWS_STORAGE_BUCKET_NAME` set, images and documents are kept in that bucket instead of the
machine's disk (what several app servers need: see cress_site.object_storage and the README,
« D'une machine à plusieurs »); without it, nothing changes. The variables:

- `AWS_STORAGE_BUCKET_NAME`: the bucket (required to turn object storage on);
- `AWS_S3_ENDPOINT_URL`: the server's address, for a service other than Amazon's (MinIO,
  Garage, Scaleway, OVHcloud…); `AWS_S3_REGION_NAME`; `AWS_S3_ADDRESSING_STYLE` (`path` or
  `virtual`);
- `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`: read by boto3 itself from the environment
  (or its other sources: a profile, the machine's role), never copied into the settings;
- `AWS_MEDIA_LOCATION` (default `media`) and `AWS_PRIVATE_LOCATION` (default `private`): the
  prefixes of images and of documents in the bucket; `AWS_PRIVATE_BUCKET_NAME` keeps documents
  in a bucket of their own (the same bucket by default);
- `PRIVATE_MEDIA_URL_SECONDS` (default 60) and `PRIVATE_MEDIA_REDIRECT` (default on), read by
  the base settings: how long the signed address of a document lives, and whether the checked
  views redirect to it or stream the document themselves.
"""

import os

from django.core.exceptions import ImproperlyConfigured

MEDIA_BACKEND = "cress_site.object_storage.MediaS3Storage"
PRIVATE_BACKEND = "cress_site.object_storage.PrivateS3Storage"


def object_storage(storages, environ=os.environ):
    """`storages` (Django's STORAGES) with the default and private storages in the bucket the
    environment names, or `storages` itself when it names none."""
    bucket = environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
    if not bucket:
        return storages
    common = {
        # Every object private: nothing is readable at its bucket address (see
        # cress_site.object_storage).
        "default_acl": None,
        "querystring_auth": True,
        # Two uploads of "rapport.pdf" are two files (django-storages overwrites by default).
        "file_overwrite": False,
        "signature_version": "s3v4",
        "endpoint_url": environ.get("AWS_S3_ENDPOINT_URL") or None,
        "region_name": environ.get("AWS_S3_REGION_NAME") or None,
        "addressing_style": environ.get("AWS_S3_ADDRESSING_STYLE") or None,
    }
    media_location = environ.get("AWS_MEDIA_LOCATION", "media").strip("/")
    private_location = environ.get("AWS_PRIVATE_LOCATION", "private").strip("/")
    private_bucket = environ.get("AWS_PRIVATE_BUCKET_NAME", "").strip() or bucket
    if private_bucket == bucket and (
        not private_location
        or not media_location
        or private_location == media_location
        or private_location.startswith(media_location + "/")
        or media_location.startswith(private_location + "/")
    ):
        raise ImproperlyConfigured(
            "AWS_MEDIA_LOCATION and AWS_PRIVATE_LOCATION must be two distinct prefixes, neither "
            "inside the other, when documents share the images' bucket."
        )
    return {
        **storages,
        "default": {
            "BACKEND": MEDIA_BACKEND,
            "OPTIONS": {**common, "bucket_name": bucket, "location": media_location},
        },
        "private": {
            "BACKEND": PRIVATE_BACKEND,
            "OPTIONS": {**common, "bucket_name": private_bucket, "location": private_location},
        },
    }
