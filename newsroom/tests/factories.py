"""Builders for image files in tests: real pictures and hostile ones."""

import io
import struct
import zlib

from PIL import Image


def image_bytes(fmt="PNG", size=(1600, 900), color=(40, 90, 140)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, fmt)
    return out.getvalue()


def png_declaring(width, height) -> bytes:
    """A tiny PNG file whose header claims `width`×`height` pixels: a decompression bomb."""

    def chunk(kind, payload):
        body = kind + payload
        return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )
