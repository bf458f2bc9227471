"""moto's server, answering as AWS does where moto 5.2 does not and the course looks.

The tests of `--target aws` use moto as a stand-in for AWS. Two of moto's departures from AWS
would fail lessons that are right about AWS, so they are mended here, and nothing else:

- AWS keeps an origin's `OriginAccessControlId`; moto drops it (lesson 6 checks it).
- AWS turns all four Block Public Access settings on for every new bucket (since April
  2023); moto leaves them unset (lesson 6 checks they are on).

Usage: python moto_aws.py -H 127.0.0.1 -p PORT (the arguments of moto_server).
"""

import sys

from moto.cloudfront import models as cloudfront
from moto.s3 import models as s3

_origin_init = cloudfront.Origin.__init__


def _origin(self, origin):
    _origin_init(self, origin)
    self.origin_access_control_id = origin.get("OriginAccessControlId") or ""


cloudfront.Origin.__init__ = _origin

_bucket_init = s3.FakeBucket.__init__


def _bucket(self, *args, **kwargs):
    _bucket_init(self, *args, **kwargs)
    self.public_access_block = s3.PublicAccessBlock(True, True, True, True)


s3.FakeBucket.__init__ = _bucket

from moto.server import main  # noqa: E402  (after the mending, which the server then serves)

main(sys.argv[1:])
