"""Read a QR code back the way a phone would, independently of the code that drew it: Chromium
(the tests' browser) draws the image into pixels, and zxing-cpp, a barcode reader of its own
lineage, decodes them. Shared by the credential kit's unit test and the certificates page's test."""

from __future__ import annotations

import base64

import zxingcpp
from playwright.sync_api import Page

#: Draws an image (any address an <img> takes) `scale` times its own size on a white canvas and
#: returns its pixels' grey levels, row by row, as base64.
_PIXELS = """async ([source, scale]) => {
  const image = new Image();
  image.src = source;
  await image.decode();
  const [width, height] = [image.naturalWidth * scale, image.naturalHeight * scale];
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext("2d");
  context.fillStyle = "#fff";
  context.fillRect(0, 0, width, height);
  context.drawImage(image, 0, 0, width, height);
  const rgba = context.getImageData(0, 0, width, height).data;
  let grey = "";
  for (let i = 0; i < rgba.length; i += 4) grey += String.fromCharCode(rgba[i]);
  return { width, height, grey: btoa(grey) };
}"""


def qr_pixels(page: Page, image_source: str, scale: int = 4) -> tuple[int, int, bytes]:
    """The image drawn by ``page``'s browser: (width, height, one grey byte a pixel)."""
    drawn = page.evaluate(_PIXELS, [image_source, scale])
    return int(drawn["width"]), int(drawn["height"]), base64.b64decode(drawn["grey"])


def decoded_qr(page: Page, image_source: str) -> list[tuple[str, int, str]]:
    """Every QR code zxing-cpp finds in the image: (its text, its version, its error correction
    level), as zxing-cpp reads them."""
    width, height, grey = qr_pixels(page, image_source)
    pixels = memoryview(grey).cast("B", (height, width))
    found = zxingcpp.read_barcodes(pixels, formats=zxingcpp.BarcodeFormat.QRCode)
    return [(code.text, int(code.extra["Version"]), str(code.ec_level)) for code in found]


def svg_source(svg: str) -> str:
    """An SVG document as an image address (as certificates.html embeds it)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
