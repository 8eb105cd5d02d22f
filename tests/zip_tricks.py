"""Zip files that lie: a zip whose headers understate what a member unpacks to, shared by the
format contract test and `benchmarks/hostile_files.py`."""

import io
import struct
import zipfile


def understated(data: bytes, member: str) -> bytes:
    """The zip with `member`'s unpacked size declared as 1 KB in both its headers."""
    lying = bytearray(data)
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(member)
    struct.pack_into("<I", lying, info.header_offset + 22, 1024)
    central = lying.find(b"PK\x01\x02")
    while central != -1:
        name_length = struct.unpack_from("<H", lying, central + 28)[0]
        if lying[central + 46 : central + 46 + name_length] == member.encode():
            struct.pack_into("<I", lying, central + 24, 1024)
        central = lying.find(b"PK\x01\x02", central + 4)
    return bytes(lying)
